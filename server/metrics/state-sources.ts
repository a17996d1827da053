/**
 * Readers for the bounded-state gauges (metrics.ts): Redis's used memory from
 * INFO, and the database's size, which PostgreSQL computes by walking the
 * database's files, so it is cached: a scrape every few seconds must not
 * stat thousands of partition files each time.
 */
import { Cluster } from 'ioredis';
import type { RedisClient } from '../redis';
import type pg from 'pg';

/** Redis INFO used_memory in bytes; on a cluster, the sum over its masters (each holds its own slots). */
export function redisUsedMemory(redis: RedisClient): () => Promise<number> {
  return async () => {
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    const used = await Promise.all(
      nodes.map(async (node) => {
        const info = await node.info('memory');
        const bytes = Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
        if (!Number.isFinite(bytes)) throw new Error('no used_memory in Redis INFO memory');
        return bytes;
      }),
    );
    return used.reduce((sum, bytes) => sum + bytes, 0);
  };
}

/** pg_database_size of the pool's database, read at most once per cacheMs (concurrent calls share one query). */
export function cachedDatabaseSize(
  pool: pg.Pool,
  cacheMs: number,
  now: () => number = Date.now,
): () => Promise<number> {
  let cached: { at: number; bytes: Promise<number> } | null = null;
  return () => {
    if (cached && now() - cached.at < cacheMs) return cached.bytes;
    const bytes = pool
      .query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes')
      .then((result) => Number(result.rows[0]!.bytes));
    cached = { at: now(), bytes };
    // A failed read is not cached: the next scrape tries again.
    bytes.catch(() => {
      if (cached?.bytes === bytes) cached = null;
    });
    return bytes;
  };
}
