/** The auth-related settings derived from the config, in one place for REST and sockets. */
import type { Config } from '../config';
import type { CookieSettings } from './cookies';
import type { OriginPolicy } from './origin';

/**
 * Development only: production refuses to start without a real SESSION_SECRET
 * (server/security/production-checks.ts), so this never keys a real deployment.
 */
const DEVELOPMENT_SESSION_SECRET = 'watchfloor-development-session-secret-not-for-production';

export interface AuthSettings {
  sessionSecret: string;
  ttlHours: number;
  cookies: CookieSettings;
  origins: OriginPolicy;
}

/** Reads the auth settings from the config. */
export function authSettings(config: Config): AuthSettings {
  return {
    sessionSecret: config.SESSION_SECRET || DEVELOPMENT_SESSION_SECRET,
    ttlHours: config.SESSION_TTL_HOURS,
    // The local demo serves plain HTTP on loopback: a Secure cookie would never come back.
    cookies: { secure: config.NODE_ENV === 'production' && !config.LOCAL_DEMO },
    origins: { allowedOrigins: config.PUBLIC_ORIGINS },
  };
}
