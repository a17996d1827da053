/**
 * Putting escalation firings on the queue as delayed jobs, and re-adding the
 * job of every running escalation (the sweeper's first task). Adding is
 * idempotent (the job id is the firing), so every worker may do it at once.
 */
import type pg from 'pg';
import type { TaskQueues } from '../queues/task-queues';
import { escalateJobId, notificationJobId, type EscalateJob } from './escalation-jobs';
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
  notifications: readonly { id: string; channel: 'email' | 'webhook' }[],
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

/** Schedules the next firing of the given alerts' running escalations (all of them without ids). */
export async function scheduleRunning(
  pool: pg.Pool,
  producer: EscalationProducer,
  alertIds?: string[],
): Promise<number> {
  const running = await runningEscalations(pool, alertIds);
  for (const e of running) {
    await scheduleFiring(
      producer,
      { alertId: e.alert_id, step: e.next_step, repeat: e.next_repeat },
      e.next_due_at,
    );
  }
  return running.length;
}
