/**
 * The sweeper's look at deliveries: a notification still pending while its
 * delivery job has ended would say "sending" for ever. That happens when the
 * job failed for good and its last attempt could not record why (the
 * database refused the write too), when it stalled out of workers that kept
 * dying (BullMQ fails it after maxStalledCount without running the handler),
 * or when the job vanished from Redis. The first two end failed, with the
 * job's reason; a vanished job is put back on its queue (adding is
 * idempotent by job id), so the notification is sent rather than lost.
 */
import type pg from 'pg';
import type { NotificationChannel } from '../../contract/escalation';
import { routeFor } from '../queues/routes';
import { endNotification } from './delivery';
import { deliveryTask, notificationJobId } from './escalation-jobs';
import { scheduleDeliveries, type EscalationProducer } from './escalation-scheduler';

/** What one sweep did. */
export interface DeliverySweep {
  ended: number;
  requeued: number;
}

/**
 * Settles the pending notifications of open alerts fired more than
 * `olderThanMs` ago whose delivery job is no longer waiting, delayed or
 * running. (A handled alert's pending notifications are cancelled when it is
 * acknowledged or resolved.)
 */
export async function settleDeliveries(
  pool: pg.Pool,
  producer: EscalationProducer,
  olderThanMs: number,
): Promise<DeliverySweep> {
  // Open alerts first (alerts_status_raised_at_idx), then their notifications by the unique key.
  const { rows } = await pool.query<{ id: string; channel: NotificationChannel }>(
    `SELECT n.id, n.channel FROM alerts a
     JOIN escalation_notifications n ON n.alert_id = a.id
     WHERE a.status = 'open' AND n.status = 'pending'
       AND n.fired_at < now() - make_interval(secs => $1::double precision / 1000)
     ORDER BY n.fired_at LIMIT 500`,
    [olderThanMs],
  );
  const done: DeliverySweep = { ended: 0, requeued: 0 };
  for (const n of rows) {
    const queue = producer.queues.queue(routeFor(deliveryTask(n.channel)).queue);
    const jobId = notificationJobId(n.channel, n.id);
    const state = await queue.getJobState(jobId);
    if (state === 'unknown') {
      await scheduleDeliveries(producer, [n]);
      done.requeued++;
    } else if (state === 'failed' || state === 'completed') {
      // Conditional on pending: a handler that ended it meanwhile wins.
      const job = await queue.getJob(jobId);
      const reason =
        state === 'failed'
          ? `delivery job failed for good: ${job?.failedReason ?? 'no reason recorded'}`
          : 'delivery job ended without sending';
      if (await endNotification(pool, n.id, 'failed', reason)) done.ended++;
    }
  }
  return done;
}
