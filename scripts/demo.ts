/**
 * `npm run demo`: services, migrations, demo data, a production build when the
 * sources changed, then the server and the device simulator. Ctrl-C (or SIGTERM)
 * stops the simulator, then the server, then the services this run started.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_SERVICE_DEFAULTS } from '../server/config';
import { DEMO_USERS } from '../prisma/seed-data';
import { seed } from '../prisma/seed';
import { startChild, type ManagedChild } from './lib/child-process';
import { nextBuild, staleBuildReason } from './lib/next-build';
import { demoSecurityEnv } from './lib/demo-secrets';
import { migrate } from './migrate';
import { redact } from './stack/database';
import { isPortOpen, sleep } from './stack/exec';
import { ensureServices, type Services } from './stack/index';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const HEALTH_TIMEOUT_MS = 120_000;
const SIMULATED_GUARDS = 12;
const FIXES_PER_SECOND = 1;

const log = (message: string) => console.log(`[demo] ${message}`);

let servicesReady: Promise<Services> | null = null;
let services: Services | null = null;
const children: ManagedChild[] = [];
let stopping: Promise<void> | null = null;

/** Stops in reverse order of start: simulator, server, then our services. Runs once. */
function shutdown(): Promise<void> {
  stopping ??= (async () => {
    for (const child of [...children].reverse()) {
      log(`stopping ${child.name}`);
      await child.stop();
    }
    // Services may still be starting when the signal comes: wait, then stop what we started.
    const started = await servicesReady?.catch(() => null);
    await started?.stop();
  })();
  return stopping;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Polls /healthz until 200; fails early if the server process died meanwhile. */
async function waitForHealth(server: ManagedChild, url: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const exit = server.exit();
    if (exit) throw new Error(`the server exited (${exit.signal ?? `code ${exit.code}`})`);
    if (await healthy(url)) return;
    await sleep(500);
  }
  throw new Error(`${url} did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000}s`);
}

function printBanner(port: number): void {
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length)) + 2;
  const lines = [
    '',
    `Watchfloor is running at http://127.0.0.1:${port}`,
    '',
    ...(services?.handles ?? []).map(
      (h) => `  ${h.name.padEnd(10)} ${redact(h.url)}  (${h.origin})`,
    ),
    `  simulator  ${SIMULATED_GUARDS} guards, ${FIXES_PER_SECOND} fix/s each`,
    '',
    'Demo logins (demo passwords, for this machine only):',
    ...DEMO_USERS.map((u) => `  ${u.role.padEnd(11)} ${u.email.padEnd(width)} ${u.password}`),
    '',
    'Ctrl-C stops the simulator, the server and the services this run started.',
    '',
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  servicesReady = ensureServices();
  services = await servicesReady;
  const { applied } = await migrate(services.databaseUrl, { log });
  log(`migrations: ${applied.length} applied`);
  const seeded = await seed(services.databaseUrl);
  log(`seed: ${seeded.sites} sites, ${seeded.guards} guards, ${seeded.usersCreated} users created`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    MQTT_URL: services.mqttUrl,
    ...services.mqttEnv,
    // Production build on loopback: real keys, demo passwords and plain HTTP waived (LOCAL_DEMO).
    ...demoSecurityEnv(path.join(REPO_ROOT, '.data')),
    // The server serves the production build; an explicit NODE_ENV wins.
    NODE_ENV: process.env.NODE_ENV || 'production',
    // Production checks run (with the loopback LOCAL_DEMO waivers), whatever the shell exported.
    WATCHFLOOR_ENV: 'production',
    // A person reads this console: readable lines (a deployment keeps JSON). An explicit value wins.
    LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
  };
  const reason = staleBuildReason();
  if (reason) {
    log(`building the web app (${reason})`);
    await nextBuild({ ...env, NODE_ENV: 'production' });
  } else {
    log('web build is current');
  }
  if (stopping) return;

  const port = Number(process.env.PORT) || LOCAL_SERVICE_DEFAULTS.webPort;
  if (await isPortOpen('127.0.0.1', port)) {
    throw new Error(`port ${port} is already in use: stop what holds it, or set PORT`);
  }
  env.PORT = String(port);
  const server = startChild('server', TSX, ['server/index.ts'], { cwd: REPO_ROOT, env });
  children.push(server);
  await waitForHealth(server, `http://127.0.0.1:${port}/healthz`);
  if (stopping) return;

  const simulator = startChild(
    'simulator',
    TSX,
    [
      'scripts/simulate.ts',
      '--guards',
      String(SIMULATED_GUARDS),
      '--rate',
      String(FIXES_PER_SECOND),
    ],
    // Each simulated device connects as itself (MQTT_DEVICE_SECRET), as real devices do.
    { cwd: REPO_ROOT, env },
  );
  children.push(simulator);
  printBanner(port);

  // Either child ending on its own means the demo is broken: say so and clean up.
  const ended = await Promise.race(children.map((child) => child.exited.then(() => child)));
  if (stopping) return;
  const exit = ended.exit();
  throw new Error(`${ended.name} exited unexpectedly (${exit?.signal ?? `code ${exit?.code}`})`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    log(`${signal}: shutting down`);
    void shutdown().then(() => process.exit(0));
  });
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  await shutdown();
  process.exit(1);
});
