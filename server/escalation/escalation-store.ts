/**
 * An alert's escalation in PostgreSQL: started in the transaction that raises
 * the alert, advanced one firing at a time, ended by acknowledgement or
 * resolution. The database is the source of truth; jobs only wake it up.
 */
import type { AlertStatus } from '../../contract/alerts';
import type { EscalationEndReason } from '../../contract/escalation';
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

export interface EscalationRow {
  alert_id: string;
  steps: unknown;
  started_at: Date;
  next_step: number | null;
  next_repeat: number | null;
  next_due_at: Date | null;
  ended_at: Date | null;
  end_reason: EscalationEndReason | null;
  alert_status: AlertStatus;
  site_id: string | null;
}

/**
 * Starts the escalation of each new alert under its policy: the site's own for
 * the alert's severity, else the default (no site). A disabled policy means
 * no escalation; it does not fall back to the default.
 */
export async function startEscalations(db: Queryable, alertIds: string[]): Promise<void> {
  if (alertIds.length === 0) return;
  await db.query(
    `INSERT INTO alert_escalations (alert_id, policy_id, steps, started_at, next_step, next_repeat, next_due_at)
     SELECT a.id, p.id, p.steps, a.received_at, 0, 0,
            a.received_at + make_interval(secs => (p.steps->0->>'afterSeconds')::int)
     FROM alerts a
     JOIN LATERAL (
       SELECT id, steps, enabled FROM escalation_policies p
       WHERE p.severity = a.severity AND (p.site_id = a.site_id OR p.site_id IS NULL)
       ORDER BY p.site_id NULLS LAST LIMIT 1
     ) p ON p.enabled
     WHERE a.id = ANY($1::uuid[])
     ON CONFLICT (alert_id) DO NOTHING`,
    [alertIds],
  );
}

/** The escalation of an alert with the alert's state, or null. */
export async function getEscalation(db: Queryable, alertId: string): Promise<EscalationRow | null> {
  const { rows } = await db.query<EscalationRow>(
    `SELECT e.*, a.status AS alert_status, a.site_id
     FROM alert_escalations e JOIN alerts a ON a.id = e.alert_id WHERE e.alert_id = $1`,
    [alertId],
  );
  return rows[0] ?? null;
}

/** Escalations still running, with their next firing (the sweeper re-adds their jobs). */
export async function runningEscalations(
  db: Queryable,
  alertIds?: string[],
): Promise<{ alert_id: string; next_step: number; next_repeat: number; next_due_at: Date }[]> {
  const { rows } = await db.query(
    `SELECT alert_id, next_step, next_repeat, next_due_at FROM alert_escalations
     WHERE ended_at IS NULL AND next_step IS NOT NULL
       AND ($1::uuid[] IS NULL OR alert_id = ANY($1::uuid[]))
     ORDER BY next_due_at LIMIT 5000`,
    [alertIds ?? null],
  );
  return rows;
}

/**
 * Moves the escalation from (step, repeat) to the next firing, or ends it
 * when there is none. Conditional: a second run of the same firing changes nothing.
 */
export async function advanceEscalation(
  db: Queryable,
  alertId: string,
  from: { step: number; repeat: number },
  next: { step: number; repeat: number; dueAt: Date } | null,
): Promise<boolean> {
  const result = await db.query(
    `UPDATE alert_escalations
     SET next_step = $4, next_repeat = $5, next_due_at = $6,
         ended_at = CASE WHEN $4::int IS NULL THEN now() END,
         end_reason = CASE WHEN $4::int IS NULL THEN 'completed' END
     WHERE alert_id = $1 AND next_step = $2 AND next_repeat = $3 AND ended_at IS NULL`,
    [
      alertId,
      from.step,
      from.repeat,
      next?.step ?? null,
      next?.repeat ?? null,
      next?.dueAt ?? null,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Ends a running escalation (acknowledged, resolved) and cancels its
 * notifications not yet sent. Returns the firing that will now not happen, or
 * null when nothing was running.
 */
export async function endEscalation(
  db: Queryable,
  alertId: string,
  reason: Exclude<EscalationEndReason, 'completed'>,
): Promise<{ step: number; repeat: number } | null> {
  const { rows } = await db.query<{ next_step: number | null; next_repeat: number | null }>(
    `UPDATE alert_escalations SET ended_at = now(), end_reason = $2
     WHERE alert_id = $1 AND ended_at IS NULL RETURNING next_step, next_repeat`,
    [alertId, reason],
  );
  await db.query(
    `UPDATE escalation_notifications SET status = 'cancelled', error = $2
     WHERE alert_id = $1 AND status = 'pending'`,
    [alertId, reason],
  );
  const row = rows[0];
  if (!row || row.next_step === null || row.next_repeat === null) return null;
  return { step: row.next_step, repeat: row.next_repeat };
}

/** Marks the alert escalated (a step beyond the first fired); true the first time. */
export async function markEscalated(db: Queryable, alertId: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE alerts SET escalated_at = now() WHERE id = $1 AND escalated_at IS NULL`,
    [alertId],
  );
  return (result.rowCount ?? 0) > 0;
}
