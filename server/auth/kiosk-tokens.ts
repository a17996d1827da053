/**
 * Wall kiosk tokens: read-only, scoped to sites, revocable, stored hashed.
 * The token is shown once at creation; only its SHA-256 is kept.
 */
import type pg from 'pg';
import { recordAudit, type AuditInput } from '../audit/audit-log';
import { withTransaction } from '../db/transaction';
import { AppError } from '../errors';
import type { EpochMs } from '../../contract/time';
import type { KioskTokenInfo, SessionUser } from '../../contract/users';
import { randomToken, sha256Token } from './tokens';

interface KioskRow {
  id: string;
  name: string;
  site_ids: string[] | null;
  all_sites: boolean;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date | null;
}

const COLUMNS = 'id, name, site_ids, all_sites, created_at, last_used_at, revoked_at, expires_at';
/** A token that still opens the wall. */
const LIVE = 'revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())';

function toInfo(row: KioskRow): KioskTokenInfo {
  return {
    id: row.id,
    name: row.name,
    siteIds: row.all_sites ? 'all' : (row.site_ids ?? []),
    createdAt: row.created_at.getTime(),
    lastUsedAt: row.last_used_at?.getTime() ?? null,
    revokedAt: row.revoked_at?.getTime() ?? null,
    expiresAt: row.expires_at?.getTime() ?? null,
  };
}

/** Creates a token for the sites (or 'all'); unknown site ids are refused. */
export async function createKioskToken(
  pool: pg.Pool,
  input: {
    name: string;
    siteIds: string[] | 'all';
    createdById: string | null;
    /** Optional end of validity, epoch ms (a wall for an event, a contractor's screen). */
    expiresAt?: EpochMs | null;
  },
  audit?: (info: KioskTokenInfo) => AuditInput,
): Promise<{ token: string; info: KioskTokenInfo }> {
  const allSites = input.siteIds === 'all';
  const siteIds = allSites ? [] : [...new Set(input.siteIds as string[])];
  if (!allSites) {
    if (siteIds.length === 0) throw new AppError('KIOSK_NO_SITES', 'name at least one site', 422);
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM sites WHERE id = ANY($1)`, [
      siteIds,
    ]);
    const unknown = siteIds.filter((id) => !rows.some((r) => r.id === id));
    if (unknown.length)
      throw new AppError('UNKNOWN_SITE', `unknown site ${unknown.join(', ')}`, 422);
  }
  if (input.expiresAt != null && input.expiresAt <= Date.now())
    throw new AppError('KIOSK_EXPIRY_PAST', 'the expiry must lie in the future', 422);
  const token = randomToken();
  const info = await withTransaction(pool, async (client) => {
    const { rows } = await client.query<KioskRow>(
      `INSERT INTO kiosk_tokens (id, name, token_hash, site_ids, all_sites, created_by, expires_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        input.name,
        sha256Token(token),
        siteIds,
        allSites,
        input.createdById,
        // The SQL edge of times (server/db/epoch-ms.ts): a Date is a timestamptz parameter.
        input.expiresAt == null ? null : new Date(input.expiresAt),
      ],
    );
    const created = toInfo(rows[0]!);
    if (audit) await recordAudit(client, audit(created));
    return created;
  });
  return { token, info };
}

/** Revokes a token; null when it does not exist or was already revoked. */
export async function revokeKioskToken(
  pool: pg.Pool,
  id: string,
  audit?: (info: KioskTokenInfo) => AuditInput,
): Promise<KioskTokenInfo | null> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<KioskRow>(
      `UPDATE kiosk_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
       RETURNING ${COLUMNS}`,
      [id],
    );
    if (!rows[0]) return null;
    const revoked = toInfo(rows[0]);
    if (audit) await recordAudit(client, audit(revoked));
    return revoked;
  });
}

/** Every token, newest first (hashes never leave the database). */
export async function listKioskTokens(pool: pg.Pool): Promise<KioskTokenInfo[]> {
  const { rows } = await pool.query<KioskRow>(
    `SELECT ${COLUMNS} FROM kiosk_tokens ORDER BY created_at DESC`,
  );
  return rows.map(toInfo);
}

function toPrincipal(row: KioskRow): SessionUser {
  return {
    id: row.id,
    email: '',
    name: `Wall: ${row.name}`,
    role: 'viewer',
    siteIds: row.all_sites ? 'all' : (row.site_ids ?? []),
    kind: 'kiosk',
  };
}

/** The read-only principal of a live kiosk token; null when unknown, revoked or expired. */
export async function findKioskPrincipal(
  pool: pg.Pool,
  token: string,
): Promise<SessionUser | null> {
  const { rows } = await pool.query<KioskRow>(
    `UPDATE kiosk_tokens SET last_used_at = now()
      WHERE token_hash = $1 AND ${LIVE} RETURNING ${COLUMNS}`,
    [sha256Token(token)],
  );
  return rows[0] ? toPrincipal(rows[0]) : null;
}

/** The principal of a live kiosk token by its id (socket recovery checks); null when not live. */
export async function findKioskPrincipalById(
  pool: pg.Pool,
  id: string,
): Promise<SessionUser | null> {
  const { rows } = await pool.query<KioskRow>(
    `SELECT ${COLUMNS} FROM kiosk_tokens WHERE id = $1 AND ${LIVE}`,
    [id],
  );
  return rows[0] ? toPrincipal(rows[0]) : null;
}
