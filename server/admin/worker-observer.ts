/**
 * Listens to the BullMQ workers of this process for the admin page's
 * per-task statistics, and hands failures to whoever needs to know.
 */
import type { Job, Worker } from 'bullmq';
import type { Logger } from '../logger';
import type { TaskStatsRecorder } from '../metrics/task-stats';
import { isBatchJobData } from '../../contract/job-data';

const durationOf = (job: Job) => (job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now());
/** The admin page counts messages: a batch job counts as many as it carries. */
const messagesOf = (job: Job) => (isBatchJobData(job.data) ? job.data.messages.length : 1);

/** Records completed and failed jobs; `onFailed` errors are logged, never thrown into BullMQ. */
export function observeWorkers(
  workers: Worker[],
  stats: TaskStatsRecorder,
  logger: Logger,
  onFailed?: (job: Job, error: Error) => Promise<void>,
): void {
  for (const worker of workers) {
    worker.on('completed', (job) =>
      stats.record(job.name, 'completed', durationOf(job), messagesOf(job)),
    );
    worker.on('failed', (job, error) => {
      if (!job) return;
      stats.record(job.name, 'failed', durationOf(job), messagesOf(job));
      onFailed?.(job, error).catch((err: Error) =>
        logger.warn({ jobId: job.id, err: err.message }, 'failed-job hook failed'),
      );
    });
  }
}
