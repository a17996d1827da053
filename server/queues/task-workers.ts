/**
 * Consumers: one BullMQ Worker per queue that has routes, dispatching each job
 * to its task's handler. Start-up fails if a route has no handler or a
 * handler no route. Results go to `onResult`; workers never talk to sockets.
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import { workerName } from '../admin/worker-names';
import type { Redis } from 'ioredis';
import type { HandlerResult, TaskHandler } from '../handlers/types';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { QUEUE_NAMES, TASK_NAMES, routeFor, type QueueName, type TaskName } from './routes';

export interface TaskWorkersOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** The queues this process works. */
  queues: readonly QueueName[];
  handlers: Record<string, TaskHandler<never>>;
  onResult(task: TaskName, job: Job, result: HandlerResult): void;
  logger: Logger;
  metrics: Metrics;
}

/** Checks that routes and handlers match one to one. */
export function assertHandlersMatchRoutes(handlers: Record<string, unknown>): void {
  const missing = TASK_NAMES.filter((task) => !handlers[task]);
  const unrouted = Object.keys(handlers).filter((task) => !(TASK_NAMES as string[]).includes(task));
  const problems = [
    ...missing.map((t) => `route "${t}" has no handler`),
    ...unrouted.map((t) => `handler "${t}" has no route in server/queues/routes.ts`),
  ];
  if (problems.length) throw new Error(`Task table mismatch: ${problems.join('; ')}`);
}

/** Starts the workers; close() waits for active jobs to finish. */
export function createTaskWorkers(options: TaskWorkersOptions) {
  const { connection, prefix, concurrency, handlers, onResult, logger, metrics } = options;
  assertHandlersMatchRoutes(handlers);
  const queuesInUse = QUEUE_NAMES.filter(
    (q) => options.queues.includes(q) && TASK_NAMES.some((t) => routeFor(t).queue === q),
  );

  const workers = queuesInUse.map((queueName) => {
    const worker = new Worker(
      queueName,
      async (job: Job, token?: string) => {
        const task = job.name as TaskName;
        const handler = handlers[task] as TaskHandler<unknown> | undefined;
        if (!handler) throw new Error(`no handler for task "${job.name}"`);
        const result = await handler(job.data, {
          enqueuedAt: job.timestamp,
          attemptsMade: job.attemptsMade,
          attempts: job.opts.attempts ?? 1,
          defer: async (at) => {
            await job.moveToDelayed(at, token);
            return new DelayedError();
          },
        });
        metrics.enqueuedToCommitted.observe((Date.now() - job.timestamp) / 1000);
        onResult(task, job, result);
        return { outcome: result.outcome };
      },
      // The name carries host, pid and concurrency into Queue#getWorkers() (admin page).
      { connection, prefix, concurrency, name: workerName(concurrency) },
    );
    worker.on('error', (err) =>
      logger.warn({ queue: queueName, err: err.message }, 'worker error'),
    );
    worker.on('failed', (job, err) => {
      metrics.jobsFailed.inc({ task: job?.name ?? 'unknown' });
      logger.warn(
        {
          queue: queueName,
          task: job?.name,
          jobId: job?.id,
          attempt: job?.attemptsMade,
          err: err.message,
        },
        'job attempt failed',
      );
    });
    return worker;
  });

  return {
    workers,
    /** Stops taking jobs and waits for the active ones. */
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
