/**
 * Private instances of Redis and PostgreSQL (Mosquitto: private-mosquitto.ts),
 * for tests that stop and restart them: the shared ones serve every other
 * test and developer. Each runs from
 * Debian's binaries, on a free port, with its data in a temporary folder, and
 * keeps that data across restart() (persistence is what is under test).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { waitFor } from './wait-for';
import { freePort, portOpen } from './ports';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PrivateService {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops, waits `downMs`, starts again. */
  restart(downMs?: number): Promise<void>;
  /** Stops for good and removes the data. */
  destroy(): Promise<void>;
}

/** A temporary folder, owned by `owner` when running as root (PostgreSQL refuses to run as root). */
export function ownedTempDir(prefix: string, owner?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (owner && userInfo().uid === 0) {
    const id = spawnSync('id', ['-u', owner]).stdout.toString().trim();
    const gid = spawnSync('id', ['-g', owner]).stdout.toString().trim();
    chownSync(dir, Number(id), Number(gid));
  }
  return dir;
}

function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function restartable(
  start: () => Promise<void>,
  stop: () => Promise<void>,
  cleanup: () => void,
  url: string,
): PrivateService {
  return {
    url,
    start,
    stop,
    async restart(downMs = 0) {
      await stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async destroy() {
      await stop();
      cleanup();
    },
  };
}

/** Redis with an append-only file, so a stop and start keeps every job. */
export async function startPrivateRedis(): Promise<PrivateService> {
  const dir = ownedTempDir('wf-redis-');
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => portOpen(port), {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: 'private redis',
    });
  };
  await start();
  return restartable(
    start,
    () => stopChild(child),
    () => rmSync(dir, { recursive: true, force: true }),
    `redis://127.0.0.1:${port}`,
  );
}

/** Runs a PostgreSQL tool as the postgres user (as root: through runuser); throws with its output on failure. */
export function asPostgres(cmd: string, args: string[]): void {
  const result = spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
}

/** PostgreSQL 15 with PostGIS, a throw-away cluster; the URL's user is its superuser. */
export async function startPrivatePostgres(): Promise<PrivateService> {
  const dir = ownedTempDir('wf-postgres-', 'postgres');
  const port = await freePort();
  const data = path.join(dir, 'data');
  asPostgres(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const start = async () => {
    asPostgres(`${PG_BIN}/pg_ctl`, [
      '-D',
      data,
      '-l',
      path.join(dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  };
  const stop = async () => {
    // Not running (already stopped) is fine: stop() is idempotent like the others.
    spawnSync('runuser', [
      '-u',
      'postgres',
      '--',
      `${PG_BIN}/pg_ctl`,
      '-D',
      data,
      '-m',
      'fast',
      '-w',
      'stop',
    ]);
  };
  await start();
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return restartable(start, stop, () => rmSync(dir, { recursive: true, force: true }), url);
}
