/**
 * Login rate limiting on Redis (shared by every web node): attempts per account
 * and per client address, counted before the password is checked (a success
 * refunds them), and a bound on concurrent password verifications per node.
 */
import type { RedisClient } from '../redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { createVerificationGate } from './verification-gate';

export interface LoginLimiter {
  /**
   * Counts this attempt against the email and the address before the password
   * is checked, so parallel attempts cannot all pass a check that no failure
   * has reached yet. Throws TooManyAttemptsError once either is over its limit.
   */
  consume(email: string, address: string | null): Promise<void>;
  /** After a successful login: clears the account's count and gives the address its point back. */
  succeeded(email: string, address: string | null): Promise<void>;
  /** Runs a password verification within the node's bound on concurrent ones. */
  verify<T>(fn: () => Promise<T>): Promise<T>;
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
  redis: RedisClient,
  {
    prefix,
    maxAttempts,
    windowSeconds,
    maxConcurrentVerifications,
  }: {
    prefix: string;
    maxAttempts: number;
    windowSeconds: number;
    maxConcurrentVerifications: number;
  },
): LoginLimiter {
  const gate = createVerificationGate(maxConcurrentVerifications, maxConcurrentVerifications * 16);
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
    async consume(email, address) {
      const take = (limiter: RateLimiterRedis, k: string) =>
        limiter.consume(k).then(
          () => null,
          (res: unknown) => {
            // A rejection with RateLimiterRes means over the limit; Redis errors propagate.
            if (!(res instanceof RateLimiterRes)) throw res;
            return res;
          },
        );
      const [mail, addr] = await Promise.all([
        take(byEmail, key(email)),
        address ? take(byAddress, address) : Promise.resolve(null),
      ]);
      const over = mail ?? addr;
      if (over) throw new TooManyAttemptsError(retryAfter(over));
    },
    async succeeded(email, address) {
      await Promise.all([
        byEmail.delete(key(email)),
        address ? byAddress.reward(address, 1) : null,
      ]);
    },
    verify: (fn) => gate.run(fn),
  };
}
