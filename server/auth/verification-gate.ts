/**
 * Bounds the password verifications (argon2id, ~tens of ms of CPU and 19 MiB
 * each) one web node runs at once: a burst of logins waits its turn instead of
 * taking every core and the memory with it, and past a bounded queue is told
 * to come back (503) rather than queued without end.
 */
import { AppError } from '../errors';

/** 503: too many logins being checked right now; the client retries. */
export class LoginBusyError extends AppError {
  constructor() {
    super('LOGIN_BUSY', 'too many logins at once; retry in a moment', 503, {
      retryAfterSeconds: 1,
    });
    this.name = 'LoginBusyError';
  }
}

export interface VerificationGate {
  /** Runs fn when a slot is free; throws LoginBusyError when the queue is full. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Verifications running now (for tests and metrics). */
  readonly running: number;
}

/** At most `concurrency` at once, at most `maxQueued` waiting. */
export function createVerificationGate(concurrency: number, maxQueued: number): VerificationGate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };
  return {
    get running() {
      return running;
    },
    async run(fn) {
      if (running >= concurrency) {
        if (waiting.length >= maxQueued) throw new LoginBusyError();
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running += 1;
      }
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
