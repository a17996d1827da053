/**
 * send_escalation_email: one notification, one e-mail. Sent only while the
 * notification is pending and the alert still open (acknowledging cancels
 * what has not gone yet). SMTP failures retry with the job's backoff; the
 * last attempt marks it failed. Without SMTP_URL it is recorded as skipped.
 */
import { UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import { notificationJobSchema } from '../escalation/escalation-jobs';
import type { Mailer } from '../escalation/mailer';
import { loadContent } from '../escalation/notification-content';
import {
  beginAttempt,
  finishNotification,
  type NotificationRow,
} from '../escalation/notifications';
import type { HandlerResult, JobMeta } from './types';

export interface EmailDeps {
  pool: pg.Pool;
  mailer: Mailer | null;
  publicUrl: string;
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
export async function cancelIfHandled(pool: pg.Pool, row: NotificationRow): Promise<boolean> {
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

/** Creates the handler. */
export function createSendEscalationEmailHandler(deps: EmailDeps) {
  const { pool, mailer } = deps;
  return async function handle(data: unknown, meta: JobMeta): Promise<HandlerResult> {
    const parsed = notificationJobSchema.safeParse(data);
    if (!parsed.success)
      throw new UnrecoverableError('invalid job: needs { notificationId: uuid }');
    const row = await beginAttempt(pool, parsed.data.notificationId);
    if (!row) return { outcome: 'duplicate', events: [] };
    if (await cancelIfHandled(pool, row)) return { outcome: 'duplicate', events: [] };
    if (!mailer) {
      await finishNotification(pool, row.id, 'skipped', 'SMTP_URL is not set');
      await auditNotification(pool, row, 'skipped', { error: 'SMTP_URL is not set' });
      return { outcome: 'stored', events: [] };
    }
    const content = await loadContent(pool, row, deps.publicUrl);
    if (!content) return { outcome: 'duplicate', events: [] };
    try {
      await mailer.send(row.recipient, content);
    } catch (error) {
      const message = (error as Error).message;
      if (!lastAttempt(meta)) throw error;
      await finishNotification(pool, row.id, 'failed', message);
      await auditNotification(pool, row, 'failed', { error: message.slice(0, 300) });
      return { outcome: 'stored', events: [] };
    }
    if (await finishNotification(pool, row.id, 'sent')) await auditNotification(pool, row, 'sent');
    return { outcome: 'stored', events: [] };
  };
}
