/**
 * One pg pool per process for every query. (Prisma's client is used only by
 * the seed; the app's queries are SQL on this pool, so it holds no PrismaClient.)
 */
import pg from 'pg';
import type { Logger } from '../logger';

export interface Database {
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  logger: Logger;
}

/** Creates the pool; pool errors are logged, never fatal. */
export function createDatabase({ url, poolSize, logger }: DatabaseOptions): Database {
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
  return {
    pool,
    async close() {
      await pool.end();
    },
  };
}
