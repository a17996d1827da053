/**
 * Producers: one BullMQ Queue per routed queue, and enqueue(task) that puts a
 * job on its route's queue at its route's priority.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { queuePrefix, type RedisClient } from '../redis';
import type { Logger } from '../logger';
import type { BatchJobData, JobDataOf, TaskName } from '../../contract/job-data';
import { oldestWaitingCreatedAt } from './queue-age';
import { QUEUE_NAMES, routeFor, toBullPriority, type QueueName } from './routes';

/**
 * Enough attempts, with exponential backoff, to outlast a 30 s PostgreSQL
 * restart (0.5+1+2+4+8+16+32 s) before a job is dead-lettered.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  // Dead letters stay a week for inspection and retry, but never more than this many per queue:
  // an hour-long database outage at 1,000 msg/s would otherwise leave millions in Redis.
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
};

/**
 * A batch job carries up to a hundred messages: keeping as many finished
 * batches as single jobs would hold up to a hundred times the data in Redis
 * (estimated 10,000 full GPS batches at ~200 bytes a fix: ~200 MB). These
 * keep about as many messages as the single-job limits do.
 */
export const BATCH_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 3600, count: 200 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1_000 },
};

/** Per-job options a producer may set beyond the route's queue and priority. */
export type EnqueueOptions = Pick<JobsOptions, 'delay' | 'attempts' | 'backoff'>;

export interface TaskQueues {
  /** Adds a job of `task`, whose data must be that task's (JobDataOf). */
  enqueue<T extends TaskName>(
    task: T,
    jobId: string,
    data: JobDataOf<T>,
    options?: EnqueueOptions,
  ): Promise<void>;
  /**
   * Adds one job carrying several messages of a batching task (routes.ts
   * `batch`). No job id: a redelivered message may land in another batch, and
   * the database's unique message key stores it once.
   */
  enqueueBatch<T extends TaskName>(task: T, messages: JobDataOf<T>[]): Promise<void>;
  queue(name: QueueName): Queue;
  /** Jobs waiting per queue (waiting + prioritized + delayed). */
  depths(): Promise<Record<string, number>>;
  /** Seconds the oldest waiting job of each queue has waited (0 when none waits). */
  oldestWaitingAgesS(now?: number): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Creates the producer side over one shared (fail-fast) connection. */
export function createTaskQueues(
  connection: RedisClient,
  prefix: string,
  logger: Logger,
): TaskQueues {
  const queues = new Map<QueueName, Queue>();
  for (const name of QUEUE_NAMES) {
    const queue = new Queue(name, {
      connection,
      prefix: queuePrefix(prefix, name, connection),
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    queue.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'queue error'));
    queues.set(name, queue);
  }
  const queue = (name: QueueName) => {
    const q = queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  };
  return {
    queue,
    async enqueue(task, jobId, data, options = {}) {
      const route = routeFor(task);
      // The jobId makes a redelivered message a no-op while its job is still in Redis;
      // the database's unique message key covers the time after that.
      await queue(route.queue).add(task, data, {
        ...options,
        jobId,
        priority: toBullPriority(route.priority),
      });
    },
    async enqueueBatch(task, messages) {
      const route = routeFor(task);
      const data: BatchJobData<typeof task> = { messages };
      await queue(route.queue).add(task, data, {
        ...BATCH_JOB_OPTIONS,
        priority: toBullPriority(route.priority),
      });
    },
    async depths() {
      const entries = await Promise.all(
        [...queues].map(async ([name, q]) => {
          const counts = await q.getJobCounts('waiting', 'prioritized', 'delayed');
          return [
            name,
            (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
          ] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
    async oldestWaitingAgesS(now = Date.now()) {
      const entries = await Promise.all(
        [...queues].map(async ([name, q]) => {
          const createdAt = await oldestWaitingCreatedAt(connection, q);
          return [name, createdAt === null ? 0 : Math.max(0, now - createdAt) / 1000] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
    async close() {
      // A queue still initializing (it asks Redis for its version) would report
      // the closed connection as an unhandled error: let it finish first.
      await Promise.allSettled([...queues.values()].map((q) => q.waitUntilReady()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
