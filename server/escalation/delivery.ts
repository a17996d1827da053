/**
 * What both delivery handlers (e-mail, webhook) share: taking a notification
 * for one attempt, cancelling it when its alert was handled meanwhile, knowing
 * the last attempt, and the audit entry of how it ended.
 */
import type pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import type { JobMeta } from '../handlers/types';
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
