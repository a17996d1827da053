/**
 * The notifications of each firing: claimed once by their unique key
 * (alert, step, repeat, channel, recipient), then delivered by their own
 * jobs, each moving pending -> sent | failed | skipped, or cancelled by acknowledgement.
 */
import type pg from 'pg';
import type { NotificationChannel, NotificationStatus } from '../../contract/escalation';
import type { ResolvedRecipient } from './recipients';

type Queryable = Pick<pg.Pool, 'query'>;

export interface NotificationRow {
  id: string;
  alert_id: string;
  step: number;
  repeat: number;
  channel: NotificationChannel;
  recipient: string;
  recipient_label: string;
  webhook_id: string | null;
  status: NotificationStatus;
  due_at: Date;
  fired_at: Date;
  late_ms: number;
  sent_at: Date | null;
  attempts: number;
  error: string | null;
}

/**
 * Inserts the firing's notifications (those already there stay as they are)
 * and returns every one still pending, new or left by a run that died.
 */
export async function claimNotifications(
  db: Queryable,
  firing: { alertId: string; step: number; repeat: number; dueAt: Date; lateMs: number },
  recipients: readonly ResolvedRecipient[],
): Promise<{ pending: NotificationRow[]; inserted: number }> {
  const result = await db.query(
    `INSERT INTO escalation_notifications
       (alert_id, step, repeat, channel, recipient, recipient_label, webhook_id, due_at, late_ms)
     SELECT $1, $2, $3, r.channel, r.recipient, r.label, r.webhook_id, $4, $5
     FROM unnest($6::text[], $7::text[], $8::text[], $9::uuid[]) AS r(channel, recipient, label, webhook_id)
     ON CONFLICT (alert_id, step, repeat, channel, recipient) DO NOTHING`,
    [
      firing.alertId,
      firing.step,
      firing.repeat,
      firing.dueAt,
      firing.lateMs,
      recipients.map((r) => r.channel),
      recipients.map((r) => r.recipient),
      recipients.map((r) => r.label),
      recipients.map((r) => r.webhookId),
    ],
  );
  const { rows } = await db.query<NotificationRow>(
    `SELECT * FROM escalation_notifications
     WHERE alert_id = $1 AND step = $2 AND repeat = $3 AND status = 'pending'`,
    [firing.alertId, firing.step, firing.repeat],
  );
  return { pending: rows, inserted: result.rowCount ?? 0 };
}

/** Takes a pending notification for one delivery attempt; null when it is not pending any more. */
export async function beginAttempt(db: Queryable, id: string): Promise<NotificationRow | null> {
  const { rows } = await db.query<NotificationRow>(
    `UPDATE escalation_notifications SET attempts = attempts + 1
     WHERE id = $1 AND status = 'pending' RETURNING *`,
    [id],
  );
  return rows[0] ?? null;
}

/** Ends a pending notification; returns it ended, or null when something else ended it first. */
export async function finishNotification(
  db: Queryable,
  id: string,
  status: Exclude<NotificationStatus, 'pending'>,
  error: string | null = null,
): Promise<NotificationRow | null> {
  const { rows } = await db.query<NotificationRow>(
    `UPDATE escalation_notifications
     SET status = $2, error = $3, sent_at = CASE WHEN $2 = 'sent' THEN now() END
     WHERE id = $1 AND status = 'pending' RETURNING *`,
    [id, status, error?.slice(0, 500) ?? null],
  );
  return rows[0] ?? null;
}
