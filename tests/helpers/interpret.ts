/** Runs one payload through the ingest's interpretation of its topic, as received at `receivedAt`. */
import { interpretMessage } from '../../server/mqtt/messages';
import { parseTopic } from '../../server/mqtt/topics';

/** Throws for a topic outside the whitelist; otherwise the interpretation (30 s clock skew). */
export function interpretAt(receivedAt: number, topic: string, payload: unknown) {
  const parsed = parseTopic(topic);
  if (!parsed) throw new Error(`topic refused: ${topic}`);
  return interpretMessage(parsed, payload, {
    topic,
    rawPayload: new TextEncoder().encode(JSON.stringify(payload)),
    receivedAt,
    maxClockSkewMs: 30_000,
  });
}
