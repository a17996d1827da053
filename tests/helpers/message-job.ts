/**
 * The BullMQ job that carries a message: its own job (id = message key) for a
 * task that does not batch, or the batch job holding it (routes.ts `batch`).
 */
import type { Job, Queue } from 'bullmq';
import { isBatchJobData, type TaskName } from '../../contract/job-data';
import { routeFor } from '../../server/queues/routes';

/** The job of `messageKey`, or undefined while it is not in Redis (or no longer). */
export async function jobOfMessage(
  queue: Queue,
  task: TaskName,
  messageKey: string,
): Promise<Job | undefined> {
  if (!routeFor(task).batch) return queue.getJob(messageKey);
  const jobs = await queue.getJobs(['prioritized', 'waiting', 'active', 'completed', 'failed']);
  return jobs.find(
    (job) =>
      job.name === task &&
      isBatchJobData(job.data) &&
      job.data.messages.some((m) => (m as { messageKey?: unknown }).messageKey === messageKey),
  );
}
