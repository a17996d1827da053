/**
 * Wall kiosk tokens: read-only, scoped to sites, revocable, stored hashed.
 * The token is shown once at creation; only its SHA-256 is kept.
 */
import type pg from 'pg';
import { AppError } from '../errors';
import type { SessionUser } from './session-user';
import { randomToken, sha256Token } from './tokens';

export interface KioskTokenInfo {
  id: string;
  name: string;
  siteIds: string[] | 'all';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface KioskRow {
  id: string;
  name: string;
  site_ids: string[] | null;
  all_sites: boolean;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, site_ids, all_sites, created_at, last_used_at, revoked_at';

function toInfo(row: KioskRow): KioskTokenInfo {
  return {
    id: row.id,
    name: row.name,
    siteIds: row.all_sites ? 'all' : (row.site_ids ?? []),
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** Creates a token for the sites (or 'all'); unknown site ids are refused. */
export async function createKioskToken(
  pool: pg.Pool,
  input: { name: string; siteIds: string[] | 'all'; createdById: string | null },
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
  const token = randomToken();
  const { rows } = await pool.query<KioskRow>(
    `INSERT INTO kiosk_tokens (id, name, token_hash, site_ids, all_sites, created_by)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [input.name, sha256Token(token), siteIds, allSites, input.createdById],
  );
  return { token, info: toInfo(rows[0]!) };
}

/** Revokes a token; null when it does not exist or was already revoked. */
export async function revokeKioskToken(pool: pg.Pool, id: string): Promise<KioskTokenInfo | null> {
  const { rows } = await pool.query<KioskRow>(
    `UPDATE kiosk_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
     RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0] ? toInfo(rows[0]) : null;
}

/** Every token, newest first (hashes never leave the database). */
export async function listKioskTokens(pool: pg.Pool): Promise<KioskTokenInfo[]> {
  const { rows } = await pool.query<KioskRow>(
    `SELECT ${COLUMNS} FROM kiosk_tokens ORDER BY created_at DESC`,
  );
  return rows.map(toInfo);
}

/** The read-only principal of a live kiosk token; null when unknown or revoked. */
export async function findKioskPrincipal(
  pool: pg.Pool,
  token: string,
): Promise<SessionUser | null> {
  const { rows } = await pool.query<KioskRow>(
    `UPDATE kiosk_tokens SET last_used_at = now()
      WHERE token_hash = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    [sha256Token(token)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    email: '',
    name: `Wall: ${row.name}`,
    role: 'viewer',
    siteIds: row.all_sites ? 'all' : (row.site_ids ?? []),
    kind: 'kiosk',
  };
}
