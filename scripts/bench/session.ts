/** A signed-in admin for the benchmark's Socket.IO client (sockets are authenticated). */
import type pg from 'pg';
import { authSettings } from '../../server/auth/auth-settings';
import { cookieNames } from '../../server/auth/cookies';
import { createSession } from '../../server/auth/sessions';
import type { Config } from '../../server/config';

/** Creates (or reuses) the bench admin and returns a Cookie header for a fresh session. */
export async function benchAdminCookie(
  pool: pg.Pool,
  config: Config,
  ttlHours = 2,
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (id, email, name, role, password_hash)
     VALUES (gen_random_uuid(), 'bench@watchfloor.local', 'Benchmark', 'admin', 'no-login')
     ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
  );
  const settings = authSettings(config);
  const { token } = await createSession(pool, rows[0]!.id, {
    secret: settings.sessionSecret,
    ttlHours,
  });
  return `${cookieNames(settings.cookies).session}=${token}`;
}
