/**
 * Consumers: one BullMQ Worker per queue that has routes, dispatching each job
 * to its task's handler. The handler table is typed by task (TaskHandlers):
 * a route without a handler, or a handler for the wrong data, does not
 * compile. Results go to `onResult`; workers never talk to sockets.
 */
import { DelayedError, UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import { workerName } from '../admin/worker-names';
import { queuePrefix, type RedisClient } from '../redis';
import type { HandlerResult, JobMeta, TaskHandlers } from '../handlers/types';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { createFailureLog } from './failure-log';
import { checkBatchJobData, checkJobData, isTaskName, unknownTask } from './job-check';
import { isBatchJobData, type TaskName } from '../../contract/job-data';
import { QUEUE_NAMES, TASK_NAMES, routeFor, type QueueName } from './routes';

/** The code a refused job's error starts with, in the failed set and the logs. */
export const JOB_DATA_INVALID = 'JOB_DATA_INVALID';

/**
 * How fast a crashed worker's jobs come back. BullMQ's defaults (30 s lock,
 * stalled check every 30 s) brought a killed worker's jobs back after about
 * 65 s: tolerable for GPS, not for an SOS. The critical lane renews its locks
 * every 2.5 s (5 s lock) and checks for stalled jobs every second, so an SOS that was
 * inside a killed worker runs again within a few seconds (measured in
 * tests/integration/critical-worker-crash.test.ts). A busy event loop that
 * misses renewals for 5 s makes a live job look stalled: it then runs twice,
 * which idempotent storage absorbs, and maxStalledCount lets that happen a
 * few times before the job is failed rather than run.
 */
export const QUEUE_LOCKS: Partial<
  Record<QueueName, Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>>
> = {
  critical: { lockDuration: 5_000, stalledInterval: 1_000, maxStalledCount: 5 },
  // A crashed worker's e-mail or webhook comes back within ~12 s. A longer lock than
  // critical's: a delivery that looked stalled runs again and may send a second copy
  // (same Message-ID / delivery id), which storage cannot absorb as it does for alerts.
  notifications: { lockDuration: 10_000, stalledInterval: 2_000, maxStalledCount: 3 },
};

export interface TaskWorkersOptions {
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  /** The queues this process works. */
  queues: readonly QueueName[];
  handlers: TaskHandlers;
  onResult(task: TaskName, job: Job, result: HandlerResult): void;
  logger: Logger;
  /** Aggregation interval of the failure log. */
  failureLogIntervalMs?: number;
  metrics: Metrics;
}

/** Starts the workers; close() waits for active jobs to finish. */
export function createTaskWorkers(options: TaskWorkersOptions) {
  const { connection, prefix, concurrency, handlers, onResult, logger, metrics } = options;
  const failures = createFailureLog({ logger, intervalMs: options.failureLogIntervalMs });

  function refuse(task: string, reason: string): never {
    metrics.jobDataRejected.inc({ task });
    throw new UnrecoverableError(`${JOB_DATA_INVALID}: ${reason}`);
  }

  /** Checks the data against the task's schema, then runs the task's handler on it. */
  async function runTask<T extends TaskName>(
    task: T,
    data: unknown,
    meta: JobMeta,
  ): Promise<HandlerResult> {
    const checked = checkJobData(task, data);
    if (!checked.ok) refuse(task, checked.reason);
    return handlers[task](checked.data, meta);
  }

  /**
   * A batch job (routes.ts `batch`): every message through the task's handler
   * at once, so the handler's batch writer stores them together. Each stored
   * message's result goes out; if any failed the job fails and runs again
   * whole, and the stored ones then come back as duplicates (no second event).
   */
  async function runBatch<T extends TaskName>(task: T, job: Job): Promise<number> {
    // Alerts, commands and the rest are never batched: such a job did not come from the ingest.
    if (!routeFor(task).batch) refuse(task, `${task} does not take batches`);
    const checked = checkBatchJobData(task, job.data);
    if (!checked.ok) refuse(task, checked.reason);
    // No defer: batching tasks never wait on anything but the database.
    const meta: JobMeta = {
      enqueuedAt: job.timestamp,
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
    };
    const settled = await Promise.allSettled(
      checked.data.map((data) => handlers[task](data, meta)),
    );
    for (const outcome of settled) {
      if (outcome.status === 'rejected') continue;
      metrics.enqueuedToCommitted.observe((Date.now() - job.timestamp) / 1000);
      onResult(task, job, outcome.value);
    }
    const failed = settled.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return checked.data.length;
  }

  const queuesInUse = QUEUE_NAMES.filter(
    (q) => options.queues.includes(q) && TASK_NAMES.some((t) => routeFor(t).queue === q),
  );

  const workers = queuesInUse.map((queueName) => {
    const worker = new Worker(
      queueName,
      async (job: Job, token?: string) => {
        const task = job.name;
        // Redis is not trusted: a job the ingest did not write is refused before
        // anything is stored or broadcast, and fails at once (retrying cannot fix it).
        if (!isTaskName(task)) refuse('unknown', unknownTask(task));
        if (isBatchJobData(job.data)) return { messages: await runBatch(task, job) };
        const result = await runTask(task, job.data, {
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
      {
        connection,
        prefix: queuePrefix(prefix, queueName, connection),
        concurrency,
        name: workerName(concurrency),
        ...QUEUE_LOCKS[queueName],
      },
    );
    worker.on('error', (err) =>
      logger.warn({ queue: queueName, err: err.message }, 'worker error'),
    );
    worker.on('failed', (job, err) => {
      const task = job && (TASK_NAMES as string[]).includes(job.name) ? job.name : 'unknown';
      const final = isFinalFailure(job, err);
      metrics.jobsFailed.inc({ task });
      if (final) metrics.jobsDeadLettered.inc({ task });
      failures.record({
        queue: queueName,
        task,
        jobId: job?.id,
        attempt: job?.attemptsMade,
        err: err.message,
        final,
      });
    });
    return worker;
  });

  return {
    workers,
    /** Stops taking jobs and waits for the active ones. */
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      failures.stop();
    },
  };
}

/** True when the job has no attempts left: it stays in the failed set. */
export function isFinalFailure(job: Job | undefined, error: Error): boolean {
  if (!job) return true;
  return error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}
