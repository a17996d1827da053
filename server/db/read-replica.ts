/**
 * Heavy reads on a PostgreSQL streaming replica (DATABASE_READ_URL), when one
 * is configured, reachable and caught up. A background probe checks the
 * replica's lag every DATABASE_READ_PROBE_MS; a read goes to the replica only
 * while the last probe found it within DATABASE_READ_MAX_LAG_MS. Otherwise,
 * and when a replica read fails for a reason of the replica's (connection
 * lost, timeout, a conflict with recovery), the read runs on the primary, or
 * with DATABASE_READ_FALLBACK=fail answers 503 REPLICA_UNAVAILABLE. Every
 * replica connect and query has a timeout, so a hung replica never hangs a
 * request. Writes, and reads that must see a write just made, use the primary
 * pool directly and never come here.
 */
import pg from 'pg';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/** The DATABASE_READ_* settings. */
export interface ReplicaSettings {
  url: string;
  poolSize: number;
  maxLagMs: number;
  probeMs: number;
  timeoutMs: number;
  fallback: 'primary' | 'fail';
}

export interface ReadReplicaOptions {
  primary: pg.Pool;
  logger: Logger;
  /** Without settings (no DATABASE_READ_URL) every read runs on the primary. */
  settings?: ReplicaSettings;
}

/** Why the replica is not read from right now; null while it is. */
export type ReplicaState = 'none' | 'ok' | 'down' | 'lagging';

export interface ReadReplica {
  /** Runs a read on the replica, or on the primary as configured when the replica is unfit. */
  read<T>(work: (pool: pg.Pool) => Promise<T>): Promise<T>;
  /** What the last probe found (and the lag it measured, ms; null when unknown). */
  state(): { state: ReplicaState; lagMs: number | null };
  /** Resolves after the first probe. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** The replica is down or behind and DATABASE_READ_FALLBACK=fail: a clear 503, never a hang. */
export class ReplicaUnavailableError extends AppError {
  constructor(state: ReplicaState) {
    super('REPLICA_UNAVAILABLE', `the read replica is ${state}: try again shortly`, 503, {
      replica: state,
    });
    this.name = 'ReplicaUnavailableError';
  }
}

/**
 * Replay lag in ms: 0 when everything received is replayed (an idle primary
 * leaves the last replay timestamp old, which is no lag), else the age of
 * the last replayed transaction. Errors on a primary (not in recovery).
 */
const LAG_SQL = `SELECT pg_is_in_recovery() AS standby,
  CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
       ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000, 0)
  END::float8 AS lag_ms`;

/**
 * Failures that are the replica's, not the query's: connection classes (08),
 * operator intervention such as a shutdown or a recovery conflict (57, 40001),
 * resources (53, 58), and network or timeout errors without a SQLSTATE.
 */
function isReplicaFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
    return /^(08|53|57|58)/.test(code) || code === '40001';
  if (typeof code === 'string') return code.startsWith('E'); // ECONNREFUSED, ECONNRESET, ETIMEDOUT ...
  return /timeout|terminated|connect/i.test((error as Error)?.message ?? '');
}

/** Creates the replica pool (if configured) and starts probing it. */
export function createReadReplica({ primary, logger, settings }: ReadReplicaOptions): ReadReplica {
  if (!settings) {
    return {
      read: (work) => work(primary),
      state: () => ({ state: 'none', lagMs: null }),
      ready: Promise.resolve(),
      close: async () => undefined,
    };
  }
  const options = settings;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.timeoutMs,
    idleTimeoutMillis: 30_000,
    // Client-side: a replica that stops answering (not just slow SQL) still times out.
    query_timeout: options.timeoutMs,
    statement_timeout: options.timeoutMs,
  });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'read replica pool client error'));

  let state: ReplicaState = 'down';
  let lagMs: number | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const setState = (next: ReplicaState, detail: Record<string, unknown> = {}) => {
    if (next !== state) {
      const log = next === 'ok' ? logger.info.bind(logger) : logger.warn.bind(logger);
      log({ replica: next, lagMs, ...detail }, 'read replica state changed');
    }
    state = next;
  };

  async function probe(): Promise<void> {
    try {
      const { rows } = await pool.query<{ standby: boolean; lag_ms: number }>(LAG_SQL);
      const row = rows[0]!;
      if (!row.standby) throw new Error('DATABASE_READ_URL is not a standby (not in recovery)');
      lagMs = Math.round(row.lag_ms);
      setState(lagMs > options.maxLagMs ? 'lagging' : 'ok');
    } catch (error) {
      lagMs = null;
      setState('down', { err: (error as Error).message });
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void probe().then(schedule), options.probeMs);
    timer.unref();
  }

  const fallback = <T>(work: (p: pg.Pool) => Promise<T>): Promise<T> => {
    if (options.fallback === 'fail') throw new ReplicaUnavailableError(state);
    return work(primary);
  };

  const ready = probe().then(schedule);

  return {
    async read(work) {
      if (state !== 'ok') return fallback(work);
      try {
        return await work(pool);
      } catch (error) {
        if (!isReplicaFailure(error)) throw error;
        // Do not wait for the next probe: the following reads go elsewhere at once.
        setState('down', { err: (error as Error).message });
        return fallback(work);
      }
    },
    state: () => ({ state, lagMs }),
    ready,
    async close() {
      stopped = true;
      clearTimeout(timer);
      await pool.end();
    },
  };
}
