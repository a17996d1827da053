/**
 * Queue depth and throughput per routed queue for the charts. Depth comes
 * from BullMQ's counts; throughput from the task statistics every worker
 * records (server/metrics/task-stats.ts, the admin page's source too), summed
 * by route, because completed jobs are removed (removeOnComplete), so the
 * completed count alone cannot tell how many finished in an interval.
 */
import { Queue } from 'bullmq';
import { queuePrefix, type RedisClient } from '../redis';
import type { Logger } from '../logger';
import { byQueue, completionRates } from '../metrics/task-stats';
import { QUEUE_NAMES } from '../queues/routes';
import type { QueueSampleDto } from '../../contract/charts';

export interface QueueStats {
  /** Counts now, and completions per second over the last chart interval's worth of settled seconds. */
  sample(): Promise<Record<string, QueueSampleDto>>;
  /** Workers connected to any queue (any process), from Redis. */
  workerCount(): Promise<number>;
  close(): Promise<void>;
}

/** Watches every queue in the route table under the given prefix. */
export function createQueueStats(options: {
  redis: RedisClient;
  prefix: string;
  /** The chart interval: each sample's throughput covers as many seconds. */
  intervalMs: number;
  logger: Logger;
}): QueueStats {
  const { redis, prefix, logger } = options;
  const windowS = Math.max(1, Math.round(options.intervalMs / 1000));
  const queues = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: queuePrefix(prefix, name, redis) });
    queue.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'chart queue error'));
    return { name, queue };
  });

  return {
    async sample() {
      const byTask = await completionRates(redis, prefix, { windowS });
      const perSecond = byQueue((task) => byTask.get(task) ?? 0);
      const entries = await Promise.all(
        queues.map(async ({ name, queue }) => {
          const counts = await queue.getJobCounts(
            'waiting',
            'prioritized',
            'delayed',
            'active',
            'failed',
          );
          const sample: QueueSampleDto = {
            depth: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
            active: counts.active ?? 0,
            failed: counts.failed ?? 0,
            completedPerSec: perSecond.get(name) ?? 0,
          };
          return [name, sample] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
    async workerCount() {
      const counts = await Promise.all(queues.map(({ queue }) => queue.getWorkersCount()));
      return counts.reduce((sum, n) => sum + n, 0);
    },
    async close() {
      // Closing a queue that is still initializing turns into an unhandled error.
      await Promise.allSettled(queues.map(({ queue }) => queue.waitUntilReady()));
      await Promise.all(queues.map(({ queue }) => queue.close()));
    },
  };
}
