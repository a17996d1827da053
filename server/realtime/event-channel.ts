/**
 * The event channel between processes: workers (and web API routes) publish,
 * web nodes consume. Two paths, both sealed with the channel codec
 * (CHANNELS_ENCRYPTION_KEY, Fernet: encrypted and authenticated); a message
 * that fails to open (tampered, foreign, plain text) is dropped and counted.
 *
 * - Broadcast events (alerts, positions, statuses, commands) go into a Redis
 *   stream that the web nodes read as ONE consumer group
 *   (server/realtime/event-stream.ts): exactly one node takes each event and
 *   broadcasts it through the shared Socket.IO adapter, which reaches every
 *   node's clients. Were every node to broadcast every event, each client
 *   would get it once per web node (measured: nearly every fix and SOS twice
 *   with two nodes).
 * - Per-node events (a principal's access changed: each node re-checks its
 *   own sockets) go over pub/sub, to every node.
 */
import type { RedisClient } from '../redis';
import type { Logger } from '../logger';
import type { ChannelCodec } from '../security/channel-codec';
import { CHANNEL_EVENTS, type ChannelEvent } from './channel-events';

export interface ChannelSecurity {
  codec: ChannelCodec;
  /** Counts dropped messages by reason (the metric channel_messages_rejected_total). */
  onRejected?(reason: 'unauthenticated' | 'unreadable'): void;
}

/** Events every web node must act on itself; everything else is broadcast by one node. */
const PER_NODE_EVENTS: ReadonlySet<ChannelEvent['type']> = new Set([
  CHANNEL_EVENTS.credentialsChanged,
]);

/**
 * Entries the broadcast stream keeps (XADD MAXLEN ~). Web nodes read it within
 * milliseconds; the length only bounds Redis memory while no web node runs.
 */
export const EVENT_STREAM_MAX_LEN = 10_000;

/** The Redis stream of broadcast events (under the channel prefix, so it is cleaned with it). */
export function eventStreamKey(channel: string): string {
  return `${channel}:broadcast`;
}

/** Publishes an event: into the broadcast stream, or to every web node for per-node events. */
export function createEventPublisher(
  redis: RedisClient,
  channel: string,
  logger: Logger,
  { codec }: ChannelSecurity,
) {
  const stream = eventStreamKey(channel);
  return function publish(event: ChannelEvent): void {
    const sealed = codec.seal(JSON.stringify(event));
    const sent = PER_NODE_EVENTS.has(event.type)
      ? redis.publish(channel, sealed)
      : redis.xadd(stream, 'MAXLEN', '~', String(EVENT_STREAM_MAX_LEN), '*', 'e', sealed);
    sent.catch((err: Error) => {
      // Live events are best effort: the rows are committed, and a reconnecting
      // screen resyncs from the database snapshot.
      logger.warn({ err: err.message, type: event.type }, 'event publish failed');
    });
  };
}

/** Opens and parses one sealed event; null (counted and logged) when it is not ours or not JSON. */
export function openEvent(
  sealed: string,
  { codec, onRejected }: ChannelSecurity,
  logger: Logger,
  where: string,
): ChannelEvent | null {
  let plaintext: Buffer;
  try {
    plaintext = codec.open(sealed);
  } catch {
    // Never log the message itself: it may be an attacker's, or a payload.
    onRejected?.('unauthenticated');
    logger.warn({ channel: where }, 'dropped a channel message that failed authentication');
    return null;
  }
  try {
    return JSON.parse(plaintext.toString('utf8')) as ChannelEvent;
  } catch {
    onRejected?.('unreadable');
    logger.warn({ channel: where }, 'dropped an unreadable channel event');
    return null;
  }
}

/** Subscribes a dedicated connection to the per-node events. */
export async function subscribeToEvents(
  redis: RedisClient,
  channel: string,
  onEvent: (event: ChannelEvent) => void,
  logger: Logger,
  security: ChannelSecurity,
): Promise<void> {
  redis.on('message', (received: string, message: string) => {
    if (received !== channel) return;
    const event = openEvent(message, security, logger, channel);
    if (event) onEvent(event);
  });
  await redis.subscribe(channel);
}
