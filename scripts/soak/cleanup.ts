/**
 * What a soak leaves behind on the shared services, removed when it ends
 * (also after a failure or Ctrl-C): its Redis keys, by its own prefixes, and
 * its database. Its MQTT sessions expire on the broker by themselves
 * (MQTT_SESSION_EXPIRY_S is short for the soak).
 */
import type { Redis } from 'ioredis';
import { dropDatabase } from '../stack/index';
import { forEachKeyBatch } from './redis-keys';

/** Deletes every key matching the patterns (SCAN + UNLINK, never KEYS or FLUSHALL); returns how many. */
export async function deleteKeys(redis: Redis, patterns: string[]): Promise<number> {
  let deleted = 0;
  await forEachKeyBatch(redis, patterns, async (keys) => {
    deleted += await redis.unlink(...keys);
  });
  return deleted;
}

/** Removes the soak's keys and database; each step runs even if the other fails. */
export async function cleanUpSoak(options: {
  redis: Redis;
  patterns: string[];
  /** Null keeps the database (--keep-database). */
  databaseUrl: string | null;
  log: (message: string) => void;
}): Promise<void> {
  try {
    const n = await deleteKeys(options.redis, options.patterns);
    options.log(`removed ${n} Redis keys (${options.patterns.join(', ')})`);
  } catch (error) {
    options.log(`could not remove the Redis keys: ${(error as Error).message}`);
  }
  if (!options.databaseUrl) return;
  try {
    await dropDatabase(options.databaseUrl);
    options.log(`dropped database ${new URL(options.databaseUrl).pathname.slice(1)}`);
  } catch (error) {
    options.log(`could not drop the database: ${(error as Error).message}`);
  }
}
