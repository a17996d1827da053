/**
 * The circuit breaker around publishing (cockatiel): a timeout inside a
 * breaker. It opens after COMMAND_BREAKER_FAILURES consecutive failures or
 * timeouts, lets one trial call through (half-open) after an exponential
 * backoff, and closes on that call's success. While it is open, callers get a
 * BrokenCircuitError at once instead of waiting on a dead broker.
 */
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  timeout,
  wrap,
} from 'cockatiel';
import type { BreakerDto } from '../../contract/commands';

export type BreakerState = BreakerDto['state'];

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/** The gauge value of each state (watchfloor_command_breaker_state). */
export const BREAKER_STATE_VALUES: Record<BreakerState, number> = {
  closed: 0,
  open: 1,
  half_open: 2,
  isolated: 3,
};

export interface BreakerOptions {
  failures: number;
  halfOpenMs: number;
  maxHalfOpenMs: number;
  timeoutMs: number;
  onStateChange?(state: BreakerState): void;
  now?: () => number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  since: number;
  opens: number;
  /** Failures in a row that last opened it from closed (a failed half-open trial does not count). */
  failuresToOpen: number | null;
  lastFailure: string | null;
}

/** The breaker as the registry and admin page show it. */
export function breakerDto(name: string, owner: string, breaker: CommandBreaker): BreakerDto {
  const snap = breaker.snapshot();
  return {
    name,
    owner,
    state: snap.state,
    since: snap.since,
    opens: snap.opens,
    failuresToOpen: snap.failuresToOpen,
    lastFailure: snap.lastFailure,
    reportedAt: Date.now(),
  };
}

export interface CommandBreaker {
  /** Runs fn through the timeout and the breaker; fn gets a signal that aborts on timeout. */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  snapshot(): BreakerSnapshot;
}

/** Creates one breaker. */
export function createCommandBreaker(options: BreakerOptions): CommandBreaker {
  const now = options.now ?? Date.now;
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: new ExponentialBackoff({
      initialDelay: options.halfOpenMs,
      maxDelay: options.maxHalfOpenMs,
    }),
    breaker: new ConsecutiveBreaker(options.failures),
  });
  const deadline = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  const policy = wrap(breaker, deadline);
  let since = now();
  let opens = 0;
  let lastFailure: string | null = null;
  let failuresInRow = 0;
  let failuresToOpen: number | null = null;

  breaker.onFailure(({ reason }) => {
    failuresInRow += 1;
    if ('error' in reason) lastFailure = reason.error.message.slice(0, 300);
  });
  breaker.onSuccess(() => {
    failuresInRow = 0;
  });
  // A failed trial call (half-open) reopens it after one failure: that is not the threshold at work.
  let trial = false;
  breaker.onHalfOpen(() => {
    trial = true;
  });
  breaker.onReset(() => {
    trial = false;
  });
  breaker.onBreak(() => {
    opens += 1;
    if (!trial) failuresToOpen = failuresInRow;
    trial = false;
    failuresInRow = 0;
  });
  breaker.onStateChange((state) => {
    since = now();
    options.onStateChange?.(STATE_NAMES[state]);
  });

  return {
    execute: (fn) => policy.execute(({ signal }) => fn(signal)),
    snapshot: () => ({
      state: STATE_NAMES[breaker.state],
      since,
      opens,
      failuresToOpen,
      lastFailure,
    }),
  };
}
