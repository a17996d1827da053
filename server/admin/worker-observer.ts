/**
 * Listens to the BullMQ workers of this process for the admin page's
 * per-task statistics, and hands failures to whoever needs to know.
 */
import type { Job, Worker } from 'bullmq';
import type { Logger } from '../logger';
import type { TaskStatsRecorder } from '../metrics/task-stats';

const durationOf = (job: Job) => (job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now());

/** Records completed and failed jobs; `onFailed` errors are logged, never thrown into BullMQ. */
export function observeWorkers(
  workers: Worker[],
  stats: TaskStatsRecorder,
  logger: Logger,
  onFailed?: (job: Job, error: Error) => Promise<void>,
): void {
  for (const worker of workers) {
    worker.on('completed', (job) => stats.record(job.name, 'completed', durationOf(job)));
    worker.on('failed', (job, error) => {
      if (!job) return;
      stats.record(job.name, 'failed', durationOf(job));
      onFailed?.(job, error).catch((err: Error) =>
        logger.warn({ jobId: job.id, err: err.message }, 'failed-job hook failed'),
      );
    });
  }
}
