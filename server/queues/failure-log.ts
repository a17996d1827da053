/**
 * Job failures, logged aggregated: the first failure of a task with a given
 * error is logged at once, every repeat within the interval is only counted,
 * and at the end of the interval one line per task and error says how many
 * there were. While PostgreSQL was down for 30 s a worker at 1,000 msg/s used
 * to write one warning per failed attempt (147,562 lines, 43.5 MB).
 */
import type { Logger } from '../logger';

export interface FailureLogOptions {
  logger: Logger;
  intervalMs?: number;
  /** Distinct task/error pairs kept per interval; the rest count under one "other" entry. */
  maxKeys?: number;
  now?: () => number;
}

export interface JobFailure {
  queue: string;
  task: string;
  jobId?: string;
  attempt?: number;
  /** The error message: what failures are grouped by. */
  err: string;
  /** No attempts left: the job is in the failed set. */
  final: boolean;
}

interface Entry {
  queue: string;
  task: string;
  err: string;
  count: number;
  final: number;
}

const ERR_MAX = 300;

/** Creates the log; call flush() (or stop()) to write the pending summary now. */
export function createFailureLog({
  logger,
  intervalMs = 10_000,
  maxKeys = 50,
  now = Date.now,
}: FailureLogOptions) {
  let entries = new Map<string, Entry>();
  let since = now();

  function flush(): void {
    const periodMs = now() - since;
    for (const e of entries.values()) {
      // The first one was logged when it happened; only repeats need a summary.
      if (e.count > 1)
        logger.warn(
          {
            queue: e.queue,
            task: e.task,
            err: e.err,
            count: e.count,
            final: e.final,
            periodMs,
          },
          'job attempts failed (aggregated)',
        );
    }
    entries = new Map();
    since = now();
  }

  const timer = setInterval(flush, intervalMs);
  timer.unref();

  return {
    record(failure: JobFailure): void {
      const err = failure.err.slice(0, ERR_MAX);
      let key = `${failure.task}\u0000${err}`;
      if (!entries.has(key) && entries.size >= maxKeys) key = 'other';
      const entry = entries.get(key);
      if (entry) {
        entry.count++;
        if (failure.final) entry.final++;
        return;
      }
      const other = key === 'other';
      entries.set(key, {
        queue: other ? '*' : failure.queue,
        task: other ? '*' : failure.task,
        err: other ? 'other errors (too many distinct ones to list)' : err,
        count: 1,
        final: failure.final ? 1 : 0,
      });
      logger.warn(
        {
          queue: failure.queue,
          task: failure.task,
          jobId: failure.jobId,
          attempt: failure.attempt,
          final: failure.final,
          err,
        },
        failure.final ? 'job failed for good' : 'job attempt failed',
      );
    },
    flush,
    stop(): void {
      clearInterval(timer);
      flush();
    },
  };
}

export type FailureLog = ReturnType<typeof createFailureLog>;
