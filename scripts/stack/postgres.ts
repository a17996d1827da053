/**
 * The project-local PostgreSQL 15 + PostGIS: one cluster under .data/postgres,
 * listening on 127.0.0.1 at the port of LOCAL_SERVICE_DEFAULTS.databaseUrl.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chownSync,
  existsSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { LOCAL_SERVICE_DEFAULTS } from '../../server/config';
import { ownedSubdir, serviceDir } from './dirs';
import { isPortOpen, isProcessAlive, readPidFile, run, runSync, tailFile, waitUntil } from './exec';
import { hostPort, type Log, type ServiceHandle } from './types';

const PG_BIN = '/usr/lib/postgresql/15/bin';
/** initdb and postgres refuse to run as root. */
const OS_USER = 'postgres';
const SUPERUSER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
/** Unix socket paths are limited to 107 bytes; stay well below. */
const MAX_SOCKET_PATH = 100;

interface PostgresPaths {
  root: string;
  data: string;
  socketDir: string;
  logFile: string;
}

function postgresPaths(port: number): PostgresPaths {
  const root = serviceDir('postgres', OS_USER);
  let socketDir = ownedSubdir(root, 'run', OS_USER);
  if (path.join(socketDir, `.s.PGSQL.${port}`).length > MAX_SOCKET_PATH) {
    const key = createHash('sha256').update(root).digest('hex').slice(0, 12);
    socketDir = ownedSubdir('/tmp', `watchfloor-pg-${key}`, OS_USER);
  }
  return {
    root,
    data: path.join(root, 'data'),
    socketDir,
    logFile: path.join(root, 'postgres.log'),
  };
}

function localPort(): number {
  return hostPort(LOCAL_SERVICE_DEFAULTS.databaseUrl, 5432).port;
}

/**
 * Our cluster's postmaster is alive. Readiness is waited for afterwards
 * (pg_isready): a TCP probe here timed out on a loaded machine and made a
 * running cluster look like a stranger on our port.
 */
async function isRunning(paths: PostgresPaths): Promise<boolean> {
  const pid = readPidFile(path.join(paths.data, 'postmaster.pid'));
  return pid !== null && isProcessAlive(pid, 'postgres');
}

async function initCluster(paths: PostgresPaths): Promise<void> {
  // The socket is reachable only by its owner and root (folder mode 0700), so
  // trusting local connections gives the superuser to nobody else; TCP needs a password.
  await run(
    `${PG_BIN}/initdb`,
    [
      '-D',
      paths.data,
      '-U',
      SUPERUSER,
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
    ],
    { user: OS_USER },
  );
  appendFileSync(
    path.join(paths.data, 'postgresql.conf'),
    "\n# Rendered by scripts/stack/postgres.ts on every start.\ninclude_if_exists = 'watchfloor.conf'\n",
  );
}

function writeServerConf(paths: PostgresPaths, port: number): void {
  const file = path.join(paths.data, 'watchfloor.conf');
  writeFileSync(
    file,
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${paths.socketDir}'`,
      'unix_socket_permissions = 0700',
      // Test runs, the server's pools and the workers together exceed the default 100.
      'max_connections = 200',
      // Per-statement timings for `npm run bench -- --profile` (a few % of overhead; read by the bench).
      "shared_preload_libraries = 'pg_stat_statements'",
      '',
    ].join('\n'),
  );
  const owner = statSync(paths.data);
  chownSync(file, owner.uid, owner.gid);
}

function ignoreRace(error: unknown): void {
  const code = (error as { code?: string }).code ?? '';
  // Another process provisioning at the same time already created the object.
  if (!['42P04', '42710', '23505'].includes(code)) throw error;
}

async function asSuperuser(
  paths: PostgresPaths,
  port: number,
  database: string,
  fn: (client: pg.Client) => Promise<void>,
): Promise<void> {
  const client = new pg.Client({ host: paths.socketDir, port, user: SUPERUSER, database });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates the URL's role (LOGIN, CREATEDB) and database, and enables PostGIS in
 * template1 first, so every database created later (tests' throw-away ones) has it:
 * the application role is no superuser and cannot create the extension itself.
 */
async function provision(paths: PostgresPaths, port: number, url: string): Promise<void> {
  const target = new URL(url);
  const role = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const postgis = (client: pg.Client) =>
    client.query('CREATE EXTENSION IF NOT EXISTS postgis').then(() => undefined, ignoreRace);

  await asSuperuser(paths, port, 'template1', postgis);
  await asSuperuser(paths, port, 'postgres', async (client) => {
    const ident = client.escapeIdentifier(role);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const attributes = `LOGIN CREATEDB PASSWORD ${client.escapeLiteral(password)}`;
    if (exists.rowCount) {
      await client.query(`ALTER ROLE ${ident} ${attributes}`);
    } else {
      await client.query(`CREATE ROLE ${ident} ${attributes}`).catch(ignoreRace);
    }
    const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!db.rowCount) {
      await client
        .query(`CREATE DATABASE ${client.escapeIdentifier(database)} OWNER ${ident}`)
        .catch(ignoreRace);
    }
  });
  await asSuperuser(paths, port, database, async (client) => {
    await postgis(client);
    // The bench's profile reads and resets statement statistics from here (scripts/bench/profile.ts).
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(ignoreRace);
    await client.query(
      `GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO ${client.escapeIdentifier(role)}`,
    );
  });
}

/** Reuses or starts the local PostgreSQL and provisions the default URL's role and database. */
export async function startLocalPostgres(log: Log): Promise<ServiceHandle> {
  const url = LOCAL_SERVICE_DEFAULTS.databaseUrl;
  const port = localPort();
  const paths = postgresPaths(port);
  let origin: ServiceHandle['origin'] = 'reused';
  if (!(await isRunning(paths))) {
    if (await isPortOpen('127.0.0.1', port)) {
      throw new Error(
        `Port ${port} is taken by a process that is not the project's PostgreSQL ` +
          `(${paths.data}). Stop it, or set DATABASE_URL to use it.`,
      );
    }
    if (!existsSync(path.join(paths.data, 'PG_VERSION'))) {
      log(`initializing PostgreSQL cluster in ${paths.data}`);
      await initCluster(paths);
    }
    writeServerConf(paths, port);
    log(`starting PostgreSQL on 127.0.0.1:${port}`);
    const started = await run(
      `${PG_BIN}/pg_ctl`,
      ['-D', paths.data, '-l', paths.logFile, '-w', '-t', '60', 'start'],
      { user: OS_USER, allowFailure: true },
    );
    if (started.code !== 0) {
      throw new Error(
        `PostgreSQL did not start:\n${started.output.trim()}\n${tailFile(paths.logFile)}`,
      );
    }
    origin = 'started';
  }
  await waitUntil(
    'PostgreSQL',
    async () =>
      runSync(`${PG_BIN}/pg_isready`, ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '2']) ===
      0,
    { timeoutMs: READY_TIMEOUT_MS, hint: tailFile(paths.logFile) },
  );
  await provision(paths, port, url);
  return {
    name: 'postgres',
    url,
    origin,
    stop: async () => {
      if (origin === 'started') await stopLocalPostgres(log);
    },
  };
}

/** Stops the local PostgreSQL if it runs (fast mode: sessions are disconnected). */
export async function stopLocalPostgres(log: Log): Promise<boolean> {
  const paths = postgresPaths(localPort());
  const pid = readPidFile(path.join(paths.data, 'postmaster.pid'));
  if (pid === null || !isProcessAlive(pid, 'postgres')) return false;
  log('stopping PostgreSQL');
  await run(`${PG_BIN}/pg_ctl`, ['-D', paths.data, '-m', 'fast', '-w', '-t', '60', 'stop'], {
    user: OS_USER,
  });
  return true;
}

/** Whether the local PostgreSQL runs, and its pid. */
export async function localPostgresStatus(): Promise<{ running: boolean; detail: string }> {
  const port = localPort();
  const paths = postgresPaths(port);
  const running = await isRunning(paths);
  const version = existsSync(path.join(paths.data, 'PG_VERSION'))
    ? readFileSync(path.join(paths.data, 'PG_VERSION'), 'utf8').trim()
    : 'not initialized';
  return { running, detail: `PostgreSQL ${version}, data ${paths.data}, port ${port}` };
}
