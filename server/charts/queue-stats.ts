/**
 * Queue depth and throughput per routed queue for the charts. Depth comes
 * from BullMQ's counts; throughput from the task statistics every worker
 * records (server/metrics/task-stats.ts, the admin page's source too), summed
 * by route, because completed jobs are removed (removeOnComplete), so the
 * completed count alone cannot tell how many finished in an interval.
 */
import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis';
import { byQueue, completionRates } from '../metrics/task-stats';
import { QUEUE_NAMES, type QueueName } from '../queues/routes';
import type { QueueSampleDto } from '../../contract/charts';

export interface QueueStats {
  /** Counts now, and completions per second over the last chart interval's worth of settled seconds. */
  sample(): Promise<Record<string, QueueSampleDto>>;
  /** Workers connected to any queue (any process), from Redis. */
  workerCount(): Promise<number>;
}

/**
 * Watches every queue in the route table under the given prefix, through the
 * web node's queue objects (server/admin/admin-services.ts owns and closes them).
 */
export function createQueueStats(options: {
  redis: RedisClient;
  prefix: string;
  queue(name: QueueName): Queue;
  /** The chart interval: each sample's throughput covers as many seconds. */
  intervalMs: number;
}): QueueStats {
  const { redis, prefix } = options;
  const windowS = Math.max(1, Math.round(options.intervalMs / 1000));
  const queues = QUEUE_NAMES.map((name) => ({ name, queue: options.queue(name) }));

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
  };
}
