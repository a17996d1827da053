/**
 * The maintenance job's schedule: one BullMQ job scheduler on the maintenance
 * queue. Every worker process that works that queue upserts the same scheduler
 * id, so there is one schedule and each run is done by one worker, not one per process.
 */
import type { Queue } from 'bullmq';
import type { JobDataOf } from '../../contract/job-data';
import { routeFor, toBullPriority } from '../queues/routes';

export const HISTORY_MAINTENANCE_SCHEDULER = 'history-maintenance';
const TASK = 'maintain_history' as const;
/** Its runs carry nothing: the retention in force is the worker's config. */
const DATA: JobDataOf<typeof TASK> = {};
/** The queue the schedule's jobs go to (its route's). */
export const HISTORY_MAINTENANCE_QUEUE = routeFor(TASK).queue;

/** Creates or updates the schedule (idempotent). */
export async function scheduleHistoryMaintenance(queue: Queue, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(
    HISTORY_MAINTENANCE_SCHEDULER,
    { every: everyMs },
    {
      name: TASK,
      data: DATA,
      opts: {
        priority: toBullPriority(routeFor(TASK).priority),
        attempts: 3,
        backoff: { type: 'exponential', delay: 30_000 },
        removeOnComplete: { count: 100 },
        removeOnFail: { count: 100 },
      },
    },
  );
}

/** When the scheduler runs next (epoch ms), or null when there is no schedule. */
export async function nextHistoryMaintenance(queue: Queue): Promise<number | null> {
  const scheduler = await queue.getJobScheduler(HISTORY_MAINTENANCE_SCHEDULER);
  return scheduler?.next ?? null;
}
