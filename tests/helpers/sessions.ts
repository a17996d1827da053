/**
 * Logged-in test principals against the real database: a user with a role and
 * sites, and the session cookie the running app accepts (same secret, same
 * cookie name), for fetch() and Socket.IO clients.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { authSettings } from '../../server/auth/auth-settings';
import { cookieNames } from '../../server/auth/cookies';
import { createSession } from '../../server/auth/sessions';
import type { Role } from '../../contract/users';
import type { Config } from '../../server/config';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  /** `Cookie` header value carrying a live session of this user. */
  cookie: string;
}

/**
 * Inserts a user (a placeholder hash: tests log in through sessions, not
 * passwords) with the sites, and opens a session for it.
 */
export async function createTestUser(
  pool: pg.Pool,
  config: Config,
  { role, siteIds = [], email }: { role: Role; siteIds?: string[]; email?: string },
): Promise<TestUser> {
  const address = email ?? `test-${randomBytes(5).toString('hex')}@watchfloor.test`;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (id, email, name, role, password_hash)
     VALUES (gen_random_uuid(), $1, $2, $3, 'not-a-hash') RETURNING id`,
    [address, `Test ${role}`, role],
  );
  const id = rows[0]!.id;
  if (siteIds.length) {
    await pool.query(`INSERT INTO user_sites (user_id, site_id) SELECT $1, unnest($2::text[])`, [
      id,
      siteIds,
    ]);
  }
  return { id, email: address, role, cookie: await sessionCookie(pool, config, id) };
}

/** Opens a new session for an existing user; returns its `Cookie` header value. */
export async function sessionCookie(
  pool: pg.Pool,
  config: Config,
  userId: string,
): Promise<string> {
  const settings = authSettings(config);
  const { token } = await createSession(pool, userId, {
    secret: settings.sessionSecret,
    ttlHours: 1,
  });
  return `${cookieNames(settings.cookies).session}=${token}`;
}

/** Removes test users (their sessions and site assignments cascade). */
export async function removeTestUsers(
  pool: pg.Pool,
  users: (TestUser | undefined)[],
): Promise<void> {
  const ids = users.filter((u): u is TestUser => !!u).map((u) => u.id);
  if (ids.length) await pool.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [ids]);
}
