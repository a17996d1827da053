/**
 * The event channel between processes: workers publish, web nodes subscribe,
 * over Redis pub/sub. (Encryption of what crosses Redis plugs in here.)
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { ChannelEvent } from './events';

/** Publishes events for every web node. */
export function createEventPublisher(redis: Redis, channel: string, logger: Logger) {
  return function publish(event: ChannelEvent): void {
    redis.publish(channel, JSON.stringify(event)).catch((err: Error) => {
      // Live events are best effort: the rows are committed, and a reconnecting
      // screen resyncs from the database snapshot.
      logger.warn({ err: err.message, type: event.type }, 'event publish failed');
    });
  };
}

/** Subscribes a dedicated connection to the channel. */
export async function subscribeToEvents(
  redis: Redis,
  channel: string,
  onEvent: (event: ChannelEvent) => void,
  logger: Logger,
): Promise<void> {
  redis.on('message', (received: string, message: string) => {
    if (received !== channel) return;
    let event: ChannelEvent;
    try {
      event = JSON.parse(message) as ChannelEvent;
    } catch {
      logger.warn({ channel }, 'dropped an unreadable channel event');
      return;
    }
    onEvent(event);
  });
  await redis.subscribe(channel);
}
