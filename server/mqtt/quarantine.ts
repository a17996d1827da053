/**
 * The quarantine of refused MQTT messages: the most recent N, kept in a Redis
 * list so every ingest process feeds one place admins can inspect. Bounded
 * (LTRIM), and only a preview of the payload is kept, never the whole body;
 * the reason and detail are truncated too, and one source (a device id, or a
 * topic without one) may add at most PER_SOURCE_PER_MINUTE entries a minute, so
 * a single device cannot flush everyone else's refusals out of the list. What
 * is left out is still counted and logged by the ingest.
 */
import type { RedisClient } from '../redis';
import type { QuarantinedMessage } from '../../contract/admin';

export const QUARANTINE_LIMIT = 1000;
const PREVIEW_BYTES = 256;
/** Longest reason and detail kept (a validation detail can quote the payload). */
export const DETAIL_CHARS = 512;
/** Entries one source may add per minute. */
export const PER_SOURCE_PER_MINUTE = 20;

/** Who sent it: the id segment of `<root>/<id>/...` topics, or the (cut) topic itself. */
function sourceOf(topic: string): string {
  const id = topic.split('/')[1];
  return (id || topic).slice(0, 128);
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The Redis key of the quarantine list under a queue prefix. */
export function quarantineKey(prefix: string): string {
  return `${prefix}:quarantine`;
}

/** Escapes the first bytes of a payload into a safe, printable preview. */
export function previewBytes(payload: Uint8Array, max = PREVIEW_BYTES): string {
  let out = '';
  for (const byte of payload.subarray(0, max)) {
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return payload.length > max ? `${out}…` : out;
}

/** Creates the recorder used by ingest; failures are swallowed (the refusal is already counted and logged). */
export function createQuarantine(
  redis: RedisClient,
  prefix: string,
  limit = QUARANTINE_LIMIT,
  perSourcePerMinute = PER_SOURCE_PER_MINUTE,
) {
  const key = quarantineKey(prefix);
  const store = async (item: QuarantinedMessage) => {
    const counter = `${key}:source:${sourceOf(item.topic)}`;
    const counted = await redis.multi().incr(counter).expire(counter, 60, 'NX').exec();
    if (Number(counted?.[0]?.[1] ?? 0) > perSourcePerMinute) return;
    await redis
      .multi()
      .lpush(key, JSON.stringify(item))
      .ltrim(key, 0, limit - 1)
      .exec();
  };
  return {
    record(
      entry: Omit<QuarantinedMessage, 'preview' | 'size'>,
      payload: Uint8Array,
    ): Promise<void> {
      const item: QuarantinedMessage = {
        at: entry.at,
        topic: cut(entry.topic, 256),
        reason: cut(entry.reason, DETAIL_CHARS),
        detail: cut(entry.detail, DETAIL_CHARS),
        size: payload.length,
        preview: previewBytes(payload),
      };
      return store(item).catch(() => undefined);
    },
  };
}

export type Quarantine = ReturnType<typeof createQuarantine>;

/** A page of the quarantine, newest first. */
export async function listQuarantine(
  redis: RedisClient,
  prefix: string,
  offset: number,
  limit: number,
): Promise<{ total: number; items: QuarantinedMessage[] }> {
  const key = quarantineKey(prefix);
  const [total, raw] = await Promise.all([
    redis.llen(key),
    redis.lrange(key, offset, offset + limit - 1),
  ]);
  return { total, items: raw.map((r) => JSON.parse(r) as QuarantinedMessage) };
}
