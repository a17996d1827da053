/** The soak's own Redis keys, walked with SCAN (never KEYS: the server is shared). */
import type { Redis } from 'ioredis';

/** Calls onBatch with each non-empty batch of keys matching any of the patterns. */
export async function forEachKeyBatch(
  redis: Redis,
  patterns: string[],
  onBatch: (keys: string[]) => Promise<void>,
): Promise<void> {
  for (const match of patterns) {
    let cursor = '0';
    do {
      const [nextCursor, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = nextCursor;
      if (batch.length > 0) await onBatch(batch);
    } while (cursor !== '0');
  }
}
