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
import { byQueue, createCompletionCounter } from '../metrics/task-stats';
import { QUEUE_NAMES } from '../queues/routes';
import type { QueueSampleDto } from '../realtime/events';

export interface QueueStats {
  /** Counts now, and completions per second since the previous call (0 on the first). */
  sample(): Promise<Record<string, QueueSampleDto>>;
  /** Workers connected to any queue (any process), from Redis. */
  workerCount(): Promise<number>;
  close(): Promise<void>;
}

/** Watches every queue in the route table under the given prefix. */
export function createQueueStats(options: {
  redis: RedisClient;
  prefix: string;
  logger: Logger;
}): QueueStats {
  const { redis, prefix, logger } = options;
  // Only completions from now on: history before the sampler started is not throughput.
  const completions = createCompletionCounter(redis, prefix);
  void completions.sinceLast().catch(() => undefined);
  const queues = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: queuePrefix(prefix, name, redis) });
    queue.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'chart queue error'));
    return { name, queue };
  });

  return {
    async sample() {
      const { byTask, overMs } = await completions.sinceLast();
      const seconds = Math.max(overMs ?? 0, 1) / 1000;
      const completed = byQueue((task) => byTask.get(task) ?? 0);
      const entries = await Promise.all(
        queues.map(async ({ name, queue }) => {
          const counts = await queue.getJobCounts(
            'waiting',
            'prioritized',
            'delayed',
            'active',
            'failed',
          );
          const done = completed.get(name) ?? 0;
          const sample: QueueSampleDto = {
            depth: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
            active: counts.active ?? 0,
            failed: counts.failed ?? 0,
            completedPerSec: done / seconds,
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
