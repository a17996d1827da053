/** One pg pool per process, shared by Prisma (through its adapter) and bulk SQL. */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';

export interface Database {
  pool: pg.Pool;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  logger: Logger;
}

/** Creates the pool and Prisma client; pool errors are logged, never fatal. */
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
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, {
      onConnectionError: (err) => logger.warn({ err: err.message }, 'postgres connection error'),
    }),
  });
  return {
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
