/**
 * Server-side sessions: the cookie carries a random token, the table only its
 * keyed hash, so a leaked table (or log) cannot be replayed as a login.
 */
import type pg from 'pg';
import type { SessionUser } from '../../contract/users';
import { hmacToken, randomToken } from './tokens';

export interface SessionOptions {
  secret: string;
  ttlHours: number;
}

/** Creates a session for the user; returns the cookie token (shown once, never stored). */
export async function createSession(
  pool: pg.Pool,
  userId: string,
  { secret, ttlHours }: SessionOptions,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await pool.query(
    `INSERT INTO sessions (id, token_hash, user_id, expires_at) VALUES (gen_random_uuid(), $1, $2, $3)`,
    [hmacToken(secret, token), userId, expiresAt],
  );
  // Expired rows are swept opportunistically: no scheduler needed for a small table.
  await pool.query(`DELETE FROM sessions WHERE expires_at < now() - interval '1 day'`);
  return { token, expiresAt };
}

/** Ends the session of this token (logout); unknown tokens are ignored. */
export async function deleteSession(pool: pg.Pool, token: string, secret: string): Promise<void> {
  await pool.query(`DELETE FROM sessions WHERE token_hash = $1`, [hmacToken(secret, token)]);
}

/** Ends every session of a user (password change, role change, deletion). */
export async function deleteUserSessions(
  db: Pick<pg.Pool | pg.PoolClient, 'query'>,
  userId: string,
): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: SessionUser['role'];
  site_ids: string[] | null;
}

/** The user behind a live session token, with their sites; null when unknown, expired or disabled. */
export async function findSessionUser(
  pool: pg.Pool,
  token: string,
  secret: string,
): Promise<SessionUser | null> {
  const { rows } = await pool.query<UserRow>(
    `UPDATE sessions s SET last_seen_at = now()
       FROM users u
      WHERE s.token_hash = $1 AND s.expires_at > now() AND u.id = s.user_id
        AND u.disabled_at IS NULL
      RETURNING u.id, u.email, u.name, u.role,
        ARRAY(SELECT site_id FROM user_sites WHERE user_id = u.id ORDER BY site_id) AS site_ids`,
    [hmacToken(secret, token)],
  );
  const row = rows[0];
  return row ? toSessionUser(row) : null;
}

/** An active user's current role and sites, by id (no session involved); null when disabled or gone. */
export async function findActiveUser(pool: pg.Pool, id: string): Promise<SessionUser | null> {
  const { rows } = await pool.query<UserRow>(
    `SELECT u.id, u.email, u.name, u.role,
        ARRAY(SELECT site_id FROM user_sites WHERE user_id = u.id ORDER BY site_id) AS site_ids
       FROM users u WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [id],
  );
  return rows[0] ? toSessionUser(rows[0]) : null;
}

/** Maps a users row (plus its site ids) to a SessionUser; admins see every site. */
export function toSessionUser(row: UserRow): SessionUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    siteIds: row.role === 'admin' ? 'all' : (row.site_ids ?? []),
    kind: 'user',
  };
}
