/**
 * Write side of the admin page: what an admin may do to a job or a queue.
 * Route handlers check the role, audit, and call these; the request bodies
 * are validated here so every entry point takes the same shapes.
 */
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { AppError } from '../errors';
import type { QueueName } from '../queues/routes';
import { assertQueueName, JobNotFoundError } from './queue-inspector';

export class JobActionConflictError extends AppError {
  constructor(message: string) {
    super('JOB_ACTION_CONFLICT', message, 409);
    this.name = 'JobActionConflictError';
  }
}

/** Destructive actions carry `confirm: true`: a request that skipped the dialog is refused. */
const confirmed = z.literal(true, { error: 'this action needs confirm: true' });

export const jobActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('retry') }),
  z.strictObject({ action: z.literal('promote') }),
  z.strictObject({ action: z.literal('remove'), confirm: confirmed }),
]);
export type JobAction = z.infer<typeof jobActionSchema>;

export const queueActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('resume') }),
  z.strictObject({ action: z.literal('retry_failed'), confirm: confirmed }),
  z.strictObject({
    action: z.literal('clean'),
    state: z.enum(['completed', 'failed']),
    /** Only jobs that finished longer ago than this. */
    olderThanMs: z
      .number()
      .int()
      .min(0)
      .max(365 * 24 * 3600 * 1000),
    confirm: confirmed,
  }),
]);
export type QueueAction = z.infer<typeof queueActionSchema>;

/** At most this many jobs per clean call: a huge queue is cleaned in rounds, never in one blocking script. */
const CLEAN_LIMIT = 10_000;

/** Runs one job action; returns what the audit entry records. */
export async function runJobAction(
  queue: (name: QueueName) => Queue,
  queueName: string,
  jobId: string,
  action: JobAction,
): Promise<Record<string, unknown>> {
  const q = queue(assertQueueName(queueName));
  const job = await q.getJob(jobId);
  if (!job) throw new JobNotFoundError(queueName, jobId);
  const state = await job.getState();
  try {
    switch (action.action) {
      case 'retry':
        if (state !== 'failed' && state !== 'completed') {
          throw new JobActionConflictError(
            `only a failed or completed job can be retried (it is ${state})`,
          );
        }
        await job.retry(state);
        break;
      case 'promote':
        if (state !== 'delayed')
          throw new JobActionConflictError(`only a delayed job can be promoted (it is ${state})`);
        await job.promote();
        break;
      case 'remove':
        if (state === 'active') throw new JobActionConflictError('an active job cannot be removed');
        await job.remove();
        break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // BullMQ refuses when the job changed state meanwhile (e.g. a worker took it).
    throw new JobActionConflictError((error as Error).message);
  }
  return { queue: queueName, jobId, task: job.name, fromState: state };
}

/** Runs one queue action; returns what the audit entry records. */
export async function runQueueAction(
  queue: (name: QueueName) => Queue,
  queueName: string,
  action: QueueAction,
): Promise<Record<string, unknown>> {
  const q = queue(assertQueueName(queueName));
  switch (action.action) {
    case 'pause':
      await q.pause();
      return { queue: queueName };
    case 'resume':
      await q.resume();
      return { queue: queueName };
    case 'retry_failed': {
      const failed = await q.getJobCountByTypes('failed');
      await q.retryJobs({ state: 'failed', count: 1000 });
      return { queue: queueName, failed };
    }
    case 'clean': {
      const removed = await q.clean(action.olderThanMs, CLEAN_LIMIT, action.state);
      return {
        queue: queueName,
        state: action.state,
        olderThanMs: action.olderThanMs,
        removed: removed.length,
      };
    }
  }
}
