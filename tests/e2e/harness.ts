/**
 * The live stack for e2e tests: the real server (built Next app + Socket.IO +
 * ingest + workers) on a free port against the real PostgreSQL, Redis and
 * Mosquitto, seeded, with the device simulator publishing GPS fixes.
 *
 * Every run gets its own queue prefix, event channel, MQTT client id and share
 * group, so parallel runs on one set of services never steal each other's
 * messages or jobs.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { staleBuildReason } from '../../scripts/lib/next-build';
import { migrate } from '../../scripts/migrate';
import { ensureDatabase, withDatabase } from '../../scripts/stack/database';
import { generateFernetKey } from '../../server/security/fernet';
import { loadConfig } from '../../server/config';
import {
  registerRun,
  registryServicesFromEnv,
  resourcesOfConfig,
} from '../../scripts/lib/run-registry';
import type { SeedResult } from '../../prisma/seed';
import { REPO_ROOT, startTsx, type ManagedProcess } from './processes';
import { waitFor } from './wait-for';
import { freePort } from '../helpers/ports';

/** A tile URL nothing answers (.invalid never resolves, RFC 2606): what an offline control room sees. */
export const UNREACHABLE_TILES = 'http://tiles.invalid/{z}/{x}/{y}.png';

const REQUIRED_ENV = ['DATABASE_URL', 'REDIS_URL', 'MQTT_URL'] as const;
type ServiceEnv = Record<(typeof REQUIRED_ENV)[number], string>;

export interface LiveStackOptions {
  guards: number;
  /** Fixes per second per guard. */
  rate: number;
  /** Extra server environment (e.g. short stale/offline thresholds). */
  env?: Record<string, string>;
  /** Extra simulator arguments; default `--mix gps` (no random alerts to race the tests' own). */
  simulatorArgs?: string[];
}

export interface LiveStack {
  baseUrl: string;
  runId: string;
  logDir: string;
  /** What the seed wrote (the database may hold more: other tests add their own rows). */
  seeded: SeedResult;
  /** The server's environment: tests derive its config (session secret, cookie names) from it. */
  serverEnv: NodeJS.ProcessEnv;
  /**
   * Why the server or simulator died, or null while both run: waits abort on it,
   * so a crash fails the test at once with its log instead of timing out.
   */
  crashed(): string | null;
  /** Stops the server gracefully (the browser loses its connection); the simulator runs on. */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port and waits until it is healthy. */
  startServer(): Promise<void>;
  /** Stops the simulator only (the server runs on); safe to call twice. */
  stopSimulator(): Promise<void>;
  /** Stops the simulator, then the server; safe to call twice. */
  stop(): Promise<void>;
}

/** The service URLs, or an error naming the missing ones: e2e tests never skip silently. */
export function requireServiceEnv(env: NodeJS.ProcessEnv = process.env): ServiceEnv {
  const missing = REQUIRED_ENV.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `e2e tests need the real services; missing ${missing.join(', ')}. ` +
        'Run `npm run test:e2e`, which starts them, or export the URLs of running ones.',
    );
  }
  return Object.fromEntries(REQUIRED_ENV.map((name) => [name, env[name] as string])) as ServiceEnv;
}

/** Starts seed, server and simulator; on any failure stops what was started and rethrows. */
export async function startLiveStack({
  guards,
  rate,
  env = {},
  simulatorArgs = ['--mix', 'gps'],
}: LiveStackOptions): Promise<LiveStack> {
  const services = requireServiceEnv();
  assertFreshBuild();
  // Letters, digits, '_' only: valid for every prefix and id the config accepts (max 40).
  const runId = `e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  const logDir = path.join(REPO_ROOT, 'test-results', 'e2e-logs', runId);
  let server: ManagedProcess | null = null;
  let simulator: ManagedProcess | null = null;
  let serverStarts = 0;

  // A database of the run's own: every server on this machine that subscribes to the shared
  // broker stores the same messages, and in a shared database the first one to commit would
  // leave ours a duplicate with no event to push (an SOS that never reaches the screen).
  const databaseUrl = withDatabase(services.DATABASE_URL, runId.toLowerCase());
  services.DATABASE_URL = databaseUrl;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...services,
    // Vitest sets NODE_ENV=test; the server serves the production build, so say so.
    NODE_ENV: 'production',
    WATCHFLOOR_ENV: 'production',
    NEXT_DEV: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    QUEUE_PREFIX: runId,
    EVENT_CHANNEL_PREFIX: `${runId}:events`,
    MQTT_CLIENT_ID: runId,
    MQTT_SHARE_GROUP: runId,
    // Each run's share groups are its own: once it stops for good, its sessions must not
    // stay on the shared broker queueing every later run's traffic (1 h by default).
    MQTT_SESSION_EXPIRY_S: '60',
    // Production checks pass with real secrets; LOCAL_DEMO waives HTTPS, Redis TLS and the
    // demo passwords the seed sets, and is refused on anything but a loopback HOST.
    CHANNELS_ENCRYPTION_KEY: generateFernetKey(),
    SESSION_SECRET: randomBytes(48).toString('base64url'),
    LOCAL_DEMO: 'true',
    // No tile server is reachable from these machines: the maps must still render cleanly.
    MAP_TILE_URL: UNREACHABLE_TILES,
    ...env,
  };
  // Recorded before anything is created: a run that dies leaves data `stack clean` can prove dead.
  const run = await registerRun(registryServicesFromEnv(), {
    id: runId,
    kind: 'e2e',
    ...resourcesOfConfig(loadConfig(serverEnv)),
    databaseUrl,
  });
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const seeded = await seedDatabase(databaseUrl);

  const startServer = async () => {
    serverStarts += 1;
    const name = serverStarts === 1 ? 'server' : `server-${serverStarts}`;
    const proc = startTsx(name, ['server/index.ts'], serverEnv, logDir);
    server = proc;
    await waitFor('GET /healthz to answer 200', () => healthy(baseUrl), {
      timeoutMs: 120_000,
      intervalMs: 500,
      abortIf: () => exitedMessage(proc),
    });
  };
  const stopServer = async () => {
    const proc = server;
    server = null;
    await proc?.stop();
  };
  const stopSimulator = async () => {
    const sim = simulator;
    simulator = null;
    await sim?.stop();
  };
  const stop = async () => {
    // Simulator first, so the server does not log a storm of fixes it can no longer take.
    await stopSimulator();
    await stopServer();
    // Queue keys, broker sessions and the database: nothing of the run stays on the shared services.
    await run.release();
  };

  try {
    await startServer();
    const sim = startTsx(
      'simulator',
      ['scripts/simulate.ts', '--guards', String(guards), '--rate', String(rate), ...simulatorArgs],
      { ...process.env, ...services },
      logDir,
    );
    simulator = sim;
    // The simulator reads the seed before it publishes; make sure it got that far.
    await waitFor('the simulator to start publishing', () => sim.tail().includes('simulating'), {
      timeoutMs: 60_000,
      abortIf: () => exitedMessage(sim),
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    baseUrl,
    runId,
    logDir,
    seeded,
    serverEnv,
    crashed: () =>
      (server && exitedMessage(server)) ?? (simulator && exitedMessage(simulator)) ?? null,
    stopServer,
    startServer,
    stopSimulator,
    stop,
  };
}

/** A message quoting the last output once a process has exited; null while it runs. */
export function exitedMessage(proc: ManagedProcess): string | null {
  const code = proc.exit();
  return code === null
    ? null
    : `${proc.name} exited (${code}); log ${proc.logFile}; last output:\n${proc.tail()}`;
}

async function healthy(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
  await response.body?.cancel();
  return response.status === 200;
}

async function seedDatabase(databaseUrl: string): Promise<SeedResult> {
  // Imported lazily: the seed module loads Prisma and argon2, which the env checks above need not wait for.
  const { seed } = await import('../../prisma/seed');
  return seed(databaseUrl);
}

/**
 * The server serves `.next`; an old build would test old UI code and pass or
 * fail for the wrong reason. Refuse to run against a missing or stale build
 * (`npm run test:e2e` rebuilds first when needed).
 */
function assertFreshBuild(): void {
  const reason = staleBuildReason(REPO_ROOT);
  if (reason)
    throw new Error(`The Next.js build is stale (${reason}): run \`npx next build\` first.`);
}
