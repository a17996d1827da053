/**
 * Login and logout: rate-limited password check, a new server-side session,
 * and an audit entry for every success and failure.
 */
import type pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import { AppError } from '../errors';
import { decoyHash, verifyPassword } from '../users/passwords';
import { findCredentials, recordLogin } from '../users/users';
import type { AuthSettings } from './auth-settings';
import type { LoginLimiter } from './login-limiter';
import { createSession, deleteSession, findSessionUser } from './sessions';
import type { SessionUser } from '../../contract/users';

/** Wrong email or password: one message for both, so accounts cannot be enumerated. */
export class InvalidCredentialsError extends AppError {
  constructor() {
    super('INVALID_CREDENTIALS', 'wrong email or password', 401);
    this.name = 'InvalidCredentialsError';
  }
}

export interface LoginDeps {
  pool: pg.Pool;
  limiter: LoginLimiter;
  settings: AuthSettings;
}

/** Checks the password and opens a session; throws InvalidCredentialsError or TooManyAttemptsError. */
export async function login(
  { pool, limiter, settings }: LoginDeps,
  input: { email: string; password: string; address: string | null },
): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
  const email = input.email.trim().toLowerCase();
  try {
    // Counted before the password is checked: parallel guesses cannot outrun the count.
    await limiter.consume(email, input.address);
  } catch (error) {
    await recordAudit(pool, {
      actorId: null,
      actorLabel: email,
      action: 'auth.login_throttled',
      details: { address: input.address },
    });
    throw error;
  }
  const credentials = await findCredentials(pool, email);
  const hash = credentials?.passwordHash ?? (await decoyHash());
  const ok = await limiter.verify(() => verifyPassword(hash, input.password));
  // A disabled account gets the same answer as a wrong password: the page reveals nothing more.
  if (!credentials || !ok || credentials.disabled) {
    const reason = !credentials ? 'unknown email' : !ok ? 'wrong password' : 'account disabled';
    await recordAudit(pool, {
      actorId: credentials?.id ?? null,
      actorLabel: email,
      action: 'auth.login_failed',
      details: { address: input.address, reason },
    });
    throw new InvalidCredentialsError();
  }
  await limiter.succeeded(email, input.address);
  await recordLogin(pool, credentials.id);
  const { token, expiresAt } = await createSession(pool, credentials.id, {
    secret: settings.sessionSecret,
    ttlHours: settings.ttlHours,
  });
  const user = await findSessionUser(pool, token, settings.sessionSecret);
  if (!user) throw new Error('the session just created was not found');
  await recordAudit(pool, {
    actorId: user.id,
    action: 'auth.login',
    details: { address: input.address },
  });
  return { token, expiresAt, user };
}

/** Ends the session of the token and records the logout; returns whose session it was. */
export async function logout(
  pool: pg.Pool,
  settings: AuthSettings,
  token: string,
): Promise<SessionUser | null> {
  const user = await findSessionUser(pool, token, settings.sessionSecret);
  await deleteSession(pool, token, settings.sessionSecret);
  if (user) await recordAudit(pool, { actorId: user.id, action: 'auth.logout' });
  return user;
}
