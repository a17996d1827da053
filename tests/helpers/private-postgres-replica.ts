/**
 * A private PostgreSQL primary and a streaming replica of it, for the read
 * replica tests: initdb and pg_ctl from Debian's PostgreSQL 15 (with PostGIS),
 * the replica cloned with `pg_basebackup -R`, both on free ports with their
 * data in one temporary folder. The shared PostgreSQL's configuration is never
 * touched: streaming from it would need its replication settings changed.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports';
import { asPostgres, ownedTempDir, PG_BIN } from './private-services';
import { waitFor } from './wait-for';

export interface PrivateReplicaPair {
  primaryUrl: string;
  replicaUrl: string;
  /** Stops the replica (fast shutdown): reads meant for it must fall back. */
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** pg_wal_replay_pause(): the replica keeps receiving WAL but stops applying it, so it lags. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  caughtUp(): Promise<void>;
  destroy(): Promise<void>;
}

async function queryOnce<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Starts the primary, clones and starts the replica; resolves once the replica streams. */
export async function startPrivateReplicaPair(): Promise<PrivateReplicaPair> {
  const dir = ownedTempDir('wf-pg-replica-', 'postgres');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primaryData = path.join(dir, 'primary');
  const replicaData = path.join(dir, 'replica');
  const ctl = (data: string, port: number, action: 'start' | 'stop') =>
    asPostgres(`${PG_BIN}/pg_ctl`, [
      '-D',
      data,
      '-l',
      path.join(dir, `${port}.log`),
      '-w',
      '-t',
      '60',
      ...(action === 'start'
        ? ['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`]
        : ['-m', 'fast']),
      action,
    ]);
  const primaryUrl = `postgresql://postgres@127.0.0.1:${primaryPort}/postgres`;
  const replicaUrl = `postgresql://postgres@127.0.0.1:${replicaPort}/postgres`;
  let replicaRunning = false;
  const destroy = async () => {
    if (replicaRunning) ctl(replicaData, replicaPort, 'stop');
    try {
      ctl(primaryData, primaryPort, 'stop');
    } catch {
      // Not started: nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // --auth=trust also trusts replication connections from 127.0.0.1 (initdb's pg_hba.conf).
    asPostgres(`${PG_BIN}/initdb`, [
      '-D',
      primaryData,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
    ]);
    ctl(primaryData, primaryPort, 'start');
    asPostgres(`${PG_BIN}/pg_basebackup`, [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaData,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ]);
    ctl(replicaData, replicaPort, 'start');
    replicaRunning = true;
    await waitFor(
      async () =>
        (
          await queryOnce<{ status: string }>(
            primaryUrl,
            `SELECT state AS status FROM pg_stat_replication`,
          )
        )[0]?.status === 'streaming',
      { timeoutMs: 30_000, intervalMs: 100, what: 'the replica streaming' },
    );
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    primaryUrl,
    replicaUrl,
    async stopReplica() {
      ctl(replicaData, replicaPort, 'stop');
      replicaRunning = false;
    },
    async startReplica() {
      ctl(replicaData, replicaPort, 'start');
      replicaRunning = true;
    },
    async pauseReplay() {
      await queryOnce(replicaUrl, 'SELECT pg_wal_replay_pause()');
    },
    async resumeReplay() {
      await queryOnce(replicaUrl, 'SELECT pg_wal_replay_resume()');
    },
    async caughtUp() {
      const [{ lsn }] = (await queryOnce<{ lsn: string }>(
        primaryUrl,
        'SELECT pg_current_wal_lsn()::text AS lsn',
      )) as [{ lsn: string }];
      await waitFor(
        async () =>
          (
            await queryOnce<{ done: boolean }>(
              replicaUrl,
              `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`,
            )
          )[0]?.done,
        { timeoutMs: 30_000, intervalMs: 50, what: `the replica replaying up to ${lsn}` },
      );
    },
    destroy,
  };
}
