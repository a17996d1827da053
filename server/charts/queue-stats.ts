/**
 * Queue depth and throughput per routed queue for the charts. Depth comes
 * from BullMQ's counts; throughput from each queue's event stream, because
 * completed jobs are removed (removeOnComplete), so the completed count alone
 * cannot tell how many finished in an interval.
 */
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { QUEUE_NAMES, type QueueName } from '../queues/routes';
import type { QueueSampleDto } from '../realtime/events';

export interface QueueStats {
  /** Counts now, and completions per second since the previous call. */
  sample(elapsedMs: number): Promise<Record<string, QueueSampleDto>>;
  /** Workers connected to any queue (any process), from Redis. */
  workerCount(): Promise<number>;
  close(): Promise<void>;
}

/** ioredis options for the blocking stream readers, from the Redis URL. */
function blockingOptions(url: string): ConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined,
    maxRetriesPerRequest: null,
  };
}

/** Watches every queue in the route table under the given prefix. */
export function createQueueStats(options: {
  redis: Redis;
  redisUrl: string;
  prefix: string;
  logger: Logger;
}): QueueStats {
  const { redis, prefix, logger } = options;
  const completed = new Map<QueueName, number>();
  const queues = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, { connection: redis, prefix });
    queue.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'chart queue error'));
    // Only events from now on: history before the sampler started is not throughput.
    const events = new QueueEvents(name, {
      connection: blockingOptions(options.redisUrl),
      prefix,
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
    },
  };
}
