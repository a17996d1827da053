/**
 * The audit log: who did what, when. Written by auth (logins and failures),
 * user and kiosk-token management, and the alert lifecycle and admin actions.
 *
 *   await recordAudit(pool, { actorId: user.id, action: 'alert.acknowledge', target: `alert:${id}` });
 */
import type pg from 'pg';
import type { AuditPage } from '../../contract/audit';
import type { EpochMs } from '../../contract/time';

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
  /** Entries older than this id (keyset paging: the previous page's nextCursor). */
  before?: string;
  /** An action ("user.create") or a family of them ("user": user.create, user.update, ...). */
  action?: string;
  actorId?: string;
  /** Part of the actor's label (email, "cli", "system"), case-insensitive. */
  actor?: string;
  /** Time range, inclusive from, exclusive to. */
  from?: EpochMs;
  to?: EpochMs;
}

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** LIKE pattern of a literal string: its %, _ and \ match only themselves. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first, at most `limit` (default 100, max 500) per page. */
export async function listAudit(pool: pg.Pool, query: AuditQuery = {}): Promise<AuditPage> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 500);
  // One row more than asked tells whether an older page exists.
  const { rows } = await pool.query<AuditRow>(
    `SELECT id::text, at, actor_id, actor_label, action, target, details FROM audit_log
      WHERE ($1::bigint IS NULL OR id < $1)
        AND ($2::text IS NULL OR action = $2 OR action LIKE $3)
        AND ($4::uuid IS NULL OR actor_id = $4)
        AND ($5::text IS NULL OR actor_label ILIKE $5)
        AND ($6::timestamptz IS NULL OR at >= $6)
        AND ($7::timestamptz IS NULL OR at < $7)
      ORDER BY audit_log.id DESC LIMIT $8`,
    [
      query.before ?? null,
      query.action ?? null,
      query.action ? `${likeLiteral(query.action)}.%` : null,
      query.actorId ?? null,
      query.actor ? `%${likeLiteral(query.actor)}%` : null,
      // The SQL edge of times (server/db/epoch-ms.ts): a Date is a timestamptz parameter.
      query.from === undefined ? null : new Date(query.from),
      query.to === undefined ? null : new Date(query.to),
      limit + 1,
    ],
  );
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: r.at.getTime(),
      actorId: r.actor_id,
      actorLabel: r.actor_label,
      action: r.action,
      target: r.target,
      details: r.details,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

/** Every action recorded so far, for the audit page's filter. */
export async function listAuditActions(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ action: string }>(
    `SELECT DISTINCT action FROM audit_log ORDER BY action`,
  );
  return rows.map((r) => r.action);
}
