/**
 * Queue depth and throughput per routed queue for the charts. Depth comes
 * from BullMQ's counts; throughput from each queue's event stream, because
 * completed jobs are removed (removeOnComplete), so the completed count alone
 * cannot tell how many finished in an interval.
 */
import { Queue, QueueEvents } from 'bullmq';
import { queuePrefix, type RedisClient } from '../redis';
import type { Logger } from '../logger';
import { QUEUE_NAMES, type QueueName } from '../queues/routes';
import type { QueueSampleDto } from '../../contract/charts';

export interface QueueStats {
  /** Counts now, and completions per second since the previous call. */
  sample(elapsedMs: number): Promise<Record<string, QueueSampleDto>>;
  /** Workers connected to any queue (any process), from Redis. */
  workerCount(): Promise<number>;
  close(): Promise<void>;
}

/** Watches every queue in the route table under the given prefix. */
export function createQueueStats(options: {
  redis: RedisClient;
  /** Not fail-fast (the event readers block); each QueueEvents duplicates it, close() quits it. */
  blockingRedis: RedisClient;
  prefix: string;
  logger: Logger;
}): QueueStats {
  const { redis, prefix, logger } = options;
  const completed = new Map<QueueName, number>();
  const queues = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: queuePrefix(prefix, name, redis) });
    queue.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'chart queue error'));
    // Only events from now on: history before the sampler started is not throughput.
    const events = new QueueEvents(name, {
      connection: options.blockingRedis,
      prefix: queuePrefix(prefix, name, redis),
      lastEventId: '$',
    });
    events.on('error', (err) =>
      logger.warn({ queue: name, err: err.message }, 'chart queue events error'),
    );
    events.on('completed', () => completed.set(name, (completed.get(name) ?? 0) + 1));
    return { name, queue, events };
  });

  return {
    async sample(elapsedMs) {
      const seconds = Math.max(elapsedMs, 1) / 1000;
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
          completed.set(name, 0);
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
      await Promise.allSettled(
        queues.flatMap(({ queue, events }) => [queue.waitUntilReady(), events.waitUntilReady()]),
      );
      await Promise.all(queues.flatMap(({ queue, events }) => [queue.close(), events.close()]));
      await options.blockingRedis.quit().catch(() => undefined);
    },
  };
}
