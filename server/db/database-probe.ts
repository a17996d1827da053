/**
 * Whether PostgreSQL answers, checked in the background: /healthz is
 * synchronous and must not wait on a database that hangs. A fault run saw
 * /healthz answer "ok" through a 30 s PostgreSQL outage because no role
 * looked; the web and worker roles now report this as their `postgres`
 * component.
 */
import type pg from 'pg';
import type { Logger } from '../logger';

export interface DatabaseProbeOptions {
  intervalMs: number;
  /** A check slower than this counts as a failure. */
  timeoutMs: number;
  logger: Logger;
}

export interface DatabaseProbe {
  /** The last check's answer. */
  healthy(): boolean;
  /** Resolves after the first check, so a fresh process reports what it found. */
  ready: Promise<void>;
  stop(): void;
}

/** Starts checking `SELECT 1` every interval; one check at a time. */
export function startDatabaseProbe(pool: pg.Pool, options: DatabaseProbeOptions): DatabaseProbe {
  let healthy = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function check(): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        pool.query('SELECT 1'),
        new Promise((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`no answer within ${options.timeoutMs} ms`)),
            options.timeoutMs,
          );
        }),
      ]);
      if (!healthy) options.logger.info('postgres reachable');
      healthy = true;
    } catch (error) {
      if (healthy) options.logger.warn({ err: (error as Error).message }, 'postgres unreachable');
      healthy = false;
    } finally {
      clearTimeout(timeout);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void check().then(schedule), options.intervalMs);
    timer.unref();
  }

  const ready = check().then(schedule);
  return {
    healthy: () => healthy,
    ready,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
