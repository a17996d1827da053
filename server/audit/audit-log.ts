/**
 * The audit log: who did what, when. Written by auth (logins and failures),
 * user and kiosk-token management, and the alert lifecycle and admin actions.
 *
 *   await recordAudit(pool, { actorId: user.id, action: 'alert.acknowledge', target: `alert:${id}` });
 */
import type pg from 'pg';

export interface AuditInput {
  /** The acting user's id; null for the CLI, the system or an unknown login. */
  actorId: string | null;
  /** How the actor is shown; default: the user's email, or "system". */
  actorLabel?: string;
  /** Dotted verb, e.g. auth.login, auth.login_failed, user.update, alert.resolve. */
  action: string;
  /** What it was done to, e.g. "user:<id>", "alert:<id>", "kiosk:<id>". */
  target?: string | null;
  /** Small structured facts (never passwords or tokens). */
  details?: Record<string, unknown>;
}

export interface AuditEntryDto {
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** Appends one entry. Pass a transaction client to make it part of the change it records. */
export async function recordAudit(db: Pick<pg.Pool, 'query'>, input: AuditInput): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_id, actor_label, action, target, details)
     VALUES ($1, COALESCE($2, (SELECT email FROM users WHERE id = $1), 'system'), $3, $4, $5)`,
    [
      input.actorId,
      input.actorLabel ?? null,
      input.action,
      input.target ?? null,
      JSON.stringify(input.details ?? {}),
    ],
  );
}

export interface AuditQuery {
  limit?: number;
  /** Entries older than this id (keyset paging). */
  before?: string;
  action?: string;
  actorId?: string;
}

/** Newest first, at most `limit` (default 100, max 500). */
export async function listAudit(pool: pg.Pool, query: AuditQuery = {}): Promise<AuditEntryDto[]> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 500);
  const { rows } = await pool.query<{
    id: string;
    at: Date;
    actor_id: string | null;
    actor_label: string;
    action: string;
    target: string | null;
    details: Record<string, unknown>;
  }>(
    `SELECT id::text, at, actor_id, actor_label, action, target, details FROM audit_log
      WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR action = $2)
        AND ($3::uuid IS NULL OR actor_id = $3)
      ORDER BY audit_log.id DESC LIMIT $4`,
    [query.before ?? null, query.action ?? null, query.actorId ?? null, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    target: r.target,
    details: r.details,
  }));
}
