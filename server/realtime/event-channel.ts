/**
 * The event channel between processes: workers publish, web nodes subscribe,
 * over Redis pub/sub. Every message is sealed with the channel codec
 * (CHANNELS_ENCRYPTION_KEY, Fernet: encrypted and authenticated); a message
 * that fails to open (tampered, foreign, plain text) is dropped and counted.
 */
import type { RedisClient } from '../redis';
import type { Logger } from '../logger';
import type { ChannelCodec } from '../security/channel-codec';
import type { ChannelEvent } from './events';

export interface ChannelSecurity {
  codec: ChannelCodec;
  /** Counts dropped messages by reason (the metric channel_messages_rejected_total). */
  onRejected?(reason: 'unauthenticated' | 'unreadable'): void;
}

/** Publishes events for every web node. */
export function createEventPublisher(
  redis: RedisClient,
  channel: string,
  logger: Logger,
  { codec }: ChannelSecurity,
) {
  return function publish(event: ChannelEvent): void {
    redis.publish(channel, codec.seal(JSON.stringify(event))).catch((err: Error) => {
      // Live events are best effort: the rows are committed, and a reconnecting
      // screen resyncs from the database snapshot.
      logger.warn({ err: err.message, type: event.type }, 'event publish failed');
    });
  };
}

/** Subscribes a dedicated connection to the channel. */
export async function subscribeToEvents(
  redis: RedisClient,
  channel: string,
  onEvent: (event: ChannelEvent) => void,
  logger: Logger,
  { codec, onRejected }: ChannelSecurity,
): Promise<void> {
  redis.on('message', (received: string, message: string) => {
    if (received !== channel) return;
    let plaintext: Buffer;
    try {
      plaintext = codec.open(message);
    } catch {
      // Never log the message itself: it may be an attacker's, or a payload.
      onRejected?.('unauthenticated');
      logger.warn({ channel }, 'dropped a channel message that failed authentication');
      return;
    }
    let event: ChannelEvent;
    try {
      event = JSON.parse(plaintext.toString('utf8')) as ChannelEvent;
    } catch {
      onRejected?.('unreadable');
      logger.warn({ channel }, 'dropped an unreadable channel event');
      return;
    }
    onEvent(event);
  });
  await redis.subscribe(channel);
}
