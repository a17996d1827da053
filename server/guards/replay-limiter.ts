/**
 * History replay is the heaviest read a user can ask for (up to 20 guards and
 * a day of fixes each): each user gets a bounded number a minute, counted in
 * Redis so every web node shares the count.
 */
import type { RedisClient } from '../redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';

export interface ReplayLimiter {
  /** Counts one replay for the principal; throws a 429 AppError past the limit. */
  consume(principalId: string): Promise<void>;
}

/** Creates the limiter on a Redis connection the caller owns. */
export function createReplayLimiter(
  redis: RedisClient,
  { prefix, perMinute }: { prefix: string; perMinute: number },
): ReplayLimiter {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:replay`,
    points: perMinute,
    duration: 60,
  });
  return {
    async consume(principalId) {
      try {
        await limiter.consume(principalId);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw new AppError(
          'REPLAY_THROTTLED',
          `too many replays; retry in ${retryAfterSeconds} s`,
          429,
          { retryAfterSeconds },
        );
      }
    },
  };
}
