/**
 * One pg pool per process for every query. (Prisma's client is used only by
 * the seed; the app's queries are SQL on this pool, so it holds no PrismaClient.)
 */
import pg from 'pg';
import type { Logger } from '../logger';
import type { Config } from '../config';
import { createReadReplica, type ReadReplica, type ReplicaSettings } from './read-replica';

export interface Database {
  /** The primary: every write, and every read that must see a write just made. */
  pool: pg.Pool;
  /** Heavy reads: on the read replica when configured and caught up, else as DATABASE_READ_FALLBACK says. */
  read: ReadReplica['read'];
  replica: ReadReplica;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  logger: Logger;
  /** DATABASE_READ_*: without it every read runs on the primary. */
  replica?: ReplicaSettings;
}

/** The read-replica settings of a config, if it names a replica. */
export function replicaSettings(
  config: Pick<
    Config,
    | 'DATABASE_READ_URL'
    | 'DATABASE_POOL_SIZE'
    | 'DATABASE_READ_MAX_LAG_MS'
    | 'DATABASE_READ_PROBE_MS'
    | 'DATABASE_READ_TIMEOUT_MS'
    | 'DATABASE_READ_FALLBACK'
  >,
): ReplicaSettings | undefined {
  if (!config.DATABASE_READ_URL) return undefined;
  return {
    url: config.DATABASE_READ_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    maxLagMs: config.DATABASE_READ_MAX_LAG_MS,
    probeMs: config.DATABASE_READ_PROBE_MS,
    timeoutMs: config.DATABASE_READ_TIMEOUT_MS,
    fallback: config.DATABASE_READ_FALLBACK,
  };
}

/** Creates the pool (and the replica's, if any); pool errors are logged, never fatal. */
export function createDatabase({ url, poolSize, logger, replica }: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Fail a query quickly while PostgreSQL restarts; job retries ride it out.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  // An idle client that loses its server emits 'error' on the pool: without a
  // listener that kills the process (seen on a PostgreSQL restart).
  pool.on('error', (err) => logger.warn({ err: err.message }, 'postgres pool client error'));
  const reads = createReadReplica({ primary: pool, logger, settings: replica });
  return {
    pool,
    read: (work) => reads.read(work),
    replica: reads,
    async close() {
      await reads.close();
      await pool.end();
    },
  };
}
