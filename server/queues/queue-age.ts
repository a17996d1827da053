/**
 * When the oldest job still waiting in a BullMQ queue was created. Jobs with
 * a priority sit in a sorted set scored priority * 2^32 + insertion counter
 * (BullMQ's getPriorityScore.lua), so the first member of each priority band
 * is that band's oldest; jobs without a priority are in the wait list (the
 * paused list while the queue is paused), pushed on the left and taken from
 * the right, so the oldest is its last element.
 * Delayed jobs (retries in backoff) are not waiting and not counted.
 */
import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis';

const BAND = 0x100000000;
/** Every BullMQ priority toBullPriority can produce (1 the most urgent). */
const BULL_PRIORITIES = Array.from({ length: 11 }, (_, i) => i + 1);

/**
 * Creation time (epoch ms) of the oldest waiting job, or null when none waits;
 * `client` is the connection the queue was created with.
 */
export async function oldestWaitingCreatedAt(
  client: RedisClient,
  queue: Queue,
): Promise<number | null> {
  const heads = client
    .pipeline()
    .lrange(queue.keys.wait!, -1, -1)
    .lrange(queue.keys.paused!, -1, -1);
  for (const p of BULL_PRIORITIES)
    heads.zrangebyscore(queue.keys.prioritized!, p * BAND, (p + 1) * BAND - 1, 'LIMIT', 0, 1);
  const ids = ((await heads.exec()) ?? []).flatMap(([error, value]) =>
    error ? [] : (value as string[]),
  );
  if (ids.length === 0) return null;
  const stamps = client.pipeline();
  for (const id of ids) stamps.hget(queue.toKey(id), 'timestamp');
  const created = ((await stamps.exec()) ?? [])
    .map(([error, value]) => (error ? NaN : Number(value)))
    .filter((t) => Number.isFinite(t) && t > 0);
  return created.length > 0 ? Math.min(...created) : null;
}
