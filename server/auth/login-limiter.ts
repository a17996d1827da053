/**
 * Login rate limiting on Redis (shared by every web node): failed attempts per
 * account and per client address; a success clears the account's count.
 */
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';

export interface LoginLimiter {
  /** Throws TooManyAttemptsError when this email or address is locked out. */
  check(email: string, address: string | null): Promise<void>;
  /** Counts a failed attempt. */
  failed(email: string, address: string | null): Promise<void>;
  /** Clears the account's failures after a successful login. */
  succeeded(email: string): Promise<void>;
}

/** 429 with the seconds to wait, so the login page can say when to retry. */
export class TooManyAttemptsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('TOO_MANY_ATTEMPTS', `too many failed logins; retry in ${retryAfterSeconds} s`, 429, {
      retryAfterSeconds,
    });
    this.name = 'TooManyAttemptsError';
  }
}

/** Creates the limiter on a Redis connection the caller owns. */
export function createLoginLimiter(
  redis: Redis,
  {
    prefix,
    maxAttempts,
    windowSeconds,
  }: { prefix: string; maxAttempts: number; windowSeconds: number },
): LoginLimiter {
  const byEmail = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:login:email`,
    points: maxAttempts,
    duration: windowSeconds,
  });
  // One address may try several accounts, but not endlessly (password spraying).
  const byAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:login:addr`,
    points: maxAttempts * 5,
    duration: windowSeconds,
  });
  const retryAfter = (res: RateLimiterRes | null) =>
    Math.max(1, Math.ceil((res?.msBeforeNext ?? 1000) / 1000));
  const key = (email: string) => email.trim().toLowerCase();

  return {
    async check(email, address) {
      const [mail, addr] = await Promise.all([
        byEmail.get(key(email)),
        address ? byAddress.get(address) : Promise.resolve(null),
      ]);
      for (const [res, limit] of [
        [mail, maxAttempts],
        [addr, maxAttempts * 5],
      ] as const) {
        if (res && res.consumedPoints >= limit) throw new TooManyAttemptsError(retryAfter(res));
      }
    },
    async failed(email, address) {
      const consume = (limiter: RateLimiterRedis, k: string) =>
        limiter.consume(k).catch((res: unknown) => {
          // A rejection with RateLimiterRes only says the limit is now reached; Redis errors propagate.
          if (!(res instanceof RateLimiterRes)) throw res;
        });
      await Promise.all([
        consume(byEmail, key(email)),
        address ? consume(byAddress, address) : null,
      ]);
    },
    async succeeded(email) {
      await byEmail.delete(key(email));
    },
  };
}
