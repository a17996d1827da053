/**
 * Putting escalation firings on the queue as delayed jobs, and re-adding the
 * job of every running escalation (the sweeper's first task). Adding is
 * idempotent (the job id is the firing), so every worker may do it at once.
 */
import type pg from 'pg';
import { routeFor } from '../queues/routes';
import type { TaskQueues } from '../queues/task-queues';
import type { NotificationChannel } from '../../contract/escalation';
import type { EscalateJob } from '../../contract/job-data';
import { escalateJobId, notificationJobId } from './escalation-jobs';
import { runningEscalations } from './escalation-store';

/** What scheduling needs: the producer (and its queues, to look at jobs), and the webhook retry policy. */
export interface EscalationProducer {
  queues: Pick<TaskQueues, 'enqueue' | 'queue'>;
  webhookAttempts: number;
  webhookBackoffMs: number;
  now?: () => number;
}

/** Adds the job of one firing, due at `dueAt` (at once when that has passed). */
export async function scheduleFiring(
  producer: EscalationProducer,
  firing: EscalateJob,
  dueAt: Date,
): Promise<void> {
  const now = producer.now?.() ?? Date.now();
  await producer.queues.enqueue('escalate_alert', escalateJobId(firing), firing, {
    delay: Math.max(0, dueAt.getTime() - now),
  });
}

/** Adds the delivery job of each pending notification. */
export async function scheduleDeliveries(
  producer: EscalationProducer,
  notifications: readonly { id: string; channel: NotificationChannel }[],
): Promise<void> {
  for (const n of notifications) {
    if (n.channel === 'email') {
      await producer.queues.enqueue('send_escalation_email', notificationJobId('email', n.id), {
        notificationId: n.id,
      });
    } else {
      await producer.queues.enqueue(
        'deliver_webhook',
        notificationJobId('webhook', n.id),
        { notificationId: n.id },
        {
          attempts: producer.webhookAttempts,
          backoff: { type: 'exponential', delay: producer.webhookBackoffMs },
        },
      );
    }
  }
}

/**
 * Schedules the next firing of the given alerts' running escalations (all of
 * them without ids). With `reviveAfterMs` (the sweeper), a firing overdue by
 * that much whose job failed for good is put back: its job id would
 * otherwise make every re-add a no-op while the failed job is kept (a week),
 * and a database outage longer than the job's retries (about a minute) would
 * end those alerts' escalations in silence. A job refused as such
 * (UnrecoverableError) is left failed: running it again cannot help.
 */
export async function scheduleRunning(
  pool: pg.Pool,
  producer: EscalationProducer,
  alertIds?: string[],
  reviveAfterMs?: number,
): Promise<number> {
  const running = await runningEscalations(pool, alertIds);
  const now = producer.now?.() ?? Date.now();
  for (const e of running) {
    const firing = { alertId: e.alert_id, step: e.next_step, repeat: e.next_repeat };
    if (reviveAfterMs !== undefined && e.next_due_at.getTime() < now - reviveAfterMs) {
      await removeIfGaveUp(producer, escalateJobId(firing));
    }
    await scheduleFiring(producer, firing, e.next_due_at);
  }
  return running.length;
}

/** Removes the job when it failed for good after its attempts or by stalling; true when it did. */
async function removeIfGaveUp(producer: EscalationProducer, jobId: string): Promise<boolean> {
  const queue = producer.queues.queue(routeFor('escalate_alert').queue);
  if ((await queue.getJobState(jobId)) !== 'failed') return false;
  const job = await queue.getJob(jobId);
  if (!job) return false;
  const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
  if (!exhausted && job.failedReason !== STALLED_OUT) return false;
  return (await queue.remove(jobId)) > 0;
}

/** BullMQ's reason for a job that stalled more often than maxStalledCount. */
const STALLED_OUT = 'job stalled more than allowable limit';
