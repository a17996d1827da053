/** ioredis connections with backoff and an error listener (an unhandled 'error' kills the process). */
import { Redis } from 'ioredis';
import { backoffDelay } from './backoff';
import type { Logger } from './logger';

export interface RedisConnectionOptions {
  url: string;
  name: string;
  logger: Logger;
  /**
   * Producers fail fast while Redis is down (the caller retries and the MQTT
   * message stays unacknowledged); BullMQ workers and subscribers wait.
   */
  failFast?: boolean;
}

/** Creates one connection; callers own it and quit it on shutdown. */
export function createRedis({
  url,
  name,
  logger,
  failFast = false,
}: RedisConnectionOptions): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    retryStrategy: (attempt) => backoffDelay(attempt, { baseMs: 100, maxMs: 5000 }),
  });
  let down = false;
  redis.on('error', (err) => {
    if (!down) logger.warn({ redis: name, err: err.message }, 'redis connection error');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({ redis: name }, 'redis reconnected');
    down = false;
  });
  return redis;
}
