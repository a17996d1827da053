/**
 * What both delivery handlers (e-mail, webhook) share: taking a notification
 * for one attempt, cancelling it when its alert was handled meanwhile, knowing
 * the last attempt, ending a notification with its audit entry, and making
 * sure the last attempt ends it whatever goes wrong around the send.
 */
import type pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import type { HandlerResult, JobMeta } from '../handlers/types';
import type { NotificationStatus } from '../../contract/escalation';
import type { NotificationJob } from '../../contract/job-data';
import { beginAttempt, finishNotification, type NotificationRow } from './notifications';

/**
 * Takes the job's notification for one attempt (the worker checked the job
 * against its schema); null when there is nothing to send (already ended, or
 * the alert is no longer open).
 */
export async function openDelivery(
  pool: pg.Pool,
  job: NotificationJob,
): Promise<NotificationRow | null> {
  const row = await beginAttempt(pool, job.notificationId);
  if (!row || (await cancelIfHandled(pool, row))) return null;
  return row;
}

/** Records the end of a notification in the audit log (the timeline's second home). */
export async function auditNotification(
  pool: pg.Pool,
  row: NotificationRow,
  status: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(pool, {
    actorId: null,
    actorLabel: 'escalation',
    action: `escalation.${status}`,
    target: `alert:${row.alert_id}`,
    details: {
      step: row.step,
      repeat: row.repeat,
      channel: row.channel,
      recipient: row.recipient_label,
      lateMs: row.late_ms,
      ...details,
    },
  });
}

/** Ends the notification when its alert is no longer open; true when it did. */
async function cancelIfHandled(pool: pg.Pool, row: NotificationRow): Promise<boolean> {
  const { rows } = await pool.query<{ status: string }>(`SELECT status FROM alerts WHERE id = $1`, [
    row.alert_id,
  ]);
  const status = rows[0]?.status ?? 'deleted';
  if (status === 'open') return false;
  await finishNotification(pool, row.id, 'cancelled', status);
  return true;
}

/** True on the job's last attempt: a failure now is final. */
export const lastAttempt = (meta: JobMeta) => (meta.attemptsMade ?? 0) + 1 >= (meta.attempts ?? 1);

/**
 * Ends a pending notification and audits how (nothing when something else
 * ended it first); true when this call ended it.
 */
export async function endNotification(
  pool: pg.Pool,
  id: string,
  status: Exclude<NotificationStatus, 'pending' | 'cancelled'>,
  error: string | null = null,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const row = await finishNotification(pool, id, status, error);
  if (!row) return false;
  await auditNotification(pool, row, status, {
    ...(error ? { error: error.slice(0, 300) } : {}),
    ...details,
  });
  return true;
}

/**
 * Runs one delivery attempt. The handlers end a notification themselves when
 * the transport refuses it; an error anywhere else (taking the row, reading
 * the alert, recording the outcome: the database, mostly) only fails the job,
 * and on its last attempt that used to leave the notification "sending" for
 * ever. Here the last attempt ends it: sent when the transport had accepted
 * the message (only its record failed), else failed with the reason. The
 * error still fails the job, so it shows in the failed set too. When even
 * that write fails, the sweeper ends it from the failed job (delivery-sweep.ts).
 */
export async function deliverOnce(
  pool: pg.Pool,
  job: NotificationJob,
  meta: JobMeta,
  attempt: (accepted: () => void) => Promise<HandlerResult>,
): Promise<HandlerResult> {
  let sent = false;
  try {
    return await attempt(() => {
      sent = true;
    });
  } catch (error) {
    if (lastAttempt(meta)) {
      const reason = (error as Error).message;
      await endNotification(
        pool,
        job.notificationId,
        sent ? 'sent' : 'failed',
        sent ? `sent, but recording it failed: ${reason}` : `not sent: ${reason}`,
      ).catch(() => undefined);
    }
    throw error;
  }
}
