/**
 * Every command line the README shows in its shell code blocks runs as
 * written, as a new user would type it beside the running stack: against a
 * scratch database, with a queue prefix, event channel and broker client ids
 * of its own, and without the broker credentials in the environment (beside
 * the local stack the scripts find them themselves). A command that exits must
 * exit 0; a long-running one (the demo, the server, the simulator) counts when
 * it comes up (healthy, or its first output) and then stops cleanly on
 * SIGTERM. Lines that cannot run in a test are listed below with the reason.
 *
 * In the e2e project: the server lines serve the production build, which
 * `npm test` makes just before the e2e step.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocalBroker, LOCAL_CREDENTIALS_FILE } from '../../scripts/lib/local-stack-env';
import {
  registerRun,
  registryServicesFromEnv,
  resourcesOfConfig,
  type RegisteredRun,
} from '../../scripts/lib/run-registry';
import { migrate } from '../../scripts/migrate';
import { ensureDatabase, withDatabase } from '../../scripts/stack/database';
import { loadConfig } from '../../server/config';
import { freePort } from '../helpers/ports';
import { readmeCommands } from '../helpers/readme-commands';
import { requireServiceEnv } from './harness';
import { REPO_ROOT } from './processes';

/** README lines no test can run, and why. Each must still be in the README. */
const CANNOT_RUN: Record<string, string> = {
  'npm test': 'it runs every suite, this test included: it would run itself, recursively',
  'RETENTION_GUARD_POSITIONS_DAYS=1 RETENTION_DEVICE_TELEMETRY_DAYS=1 RETENTION_SENSOR_READINGS_DAYS=1 RETENTION_GUARD_STATUS_REPORTS_DAYS=1 RETENTION_SYSTEM_HEALTH_REPORTS_DAYS=1 HISTORY_MAINTENANCE_EVERY_MS=600000 nohup npm run soak -- --minutes 1500 --warmup-minutes 30 > soak-day.log 2>&1 &':
    'a 25-hour soak started in the background: a test cannot wait a day, and `&` would leave it running after the test',
  [`mosquitto_pub -t "device/test-123/telemetry" -m '{"battery": 85, "signal": 90, "timestamp": "2025-11-01T10:00:00Z"}'`]:
    "the replaced system's manual test as its documentation writes it (default port, no credentials); tests/e2e/field-health.test.ts publishes it with the real mosquitto_pub as a provisioned device",
};

/**
 * Long-running commands: what says they came up, and what says they stopped
 * cleanly after Ctrl-C (SIGINT to the process group, as a terminal sends it:
 * npm itself dies of it, so its exit code says nothing; the script's own
 * output and an empty process group do). Anything else must exit 0 by itself.
 */
const LONG_RUNNING: {
  match: RegExp;
  ready: RegExp;
  stopped: RegExp;
  servesWeb(command: string): boolean;
}[] = [
  {
    match: /(^|\s)npm start$/,
    ready: /"msg":"watchfloor started"/,
    stopped: /"msg":"stopped"/,
    // Only processes with the web role answer /healthz on PORT.
    servesWeb: (command) => !/ROLES=/.test(command) || /ROLES=\S*web/.test(command),
  },
  {
    match: /^npm run simulate\b/,
    ready: /^simulating /m,
    stopped: /^stopped: published \d+/m,
    servesWeb: () => false,
  },
  {
    match: /^npm run demo$/,
    ready: /Watchfloor is running at/,
    stopped: /\[demo\] SIGINT: shutting down/,
    servesWeb: () => true,
  },
];

/** The broker credentials the stack exports; removed so the scripts must find them. */
const CREDENTIAL_VARIABLES = [
  'MQTT_USERNAME',
  'MQTT_PASSWORD',
  'MQTT_COMMAND_USERNAME',
  'MQTT_COMMAND_PASSWORD',
  'MQTT_SIMULATOR_USERNAME',
  'MQTT_SIMULATOR_PASSWORD',
  'MQTT_DEVICE_SECRET',
];
/** Generous: two cores shared with other engineers' builds and tests. */
const READY_TIMEOUT_MS = 180_000;
const EXIT_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
/** Commands run at once: enough to keep the whole check within a few minutes, few enough for 2 cores. */
const CONCURRENCY = 3;

interface Outcome {
  command: string;
  ok: boolean;
  detail: string;
  seconds: number;
}

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const commands = readmeCommands(readme);

/** Runs one command line through bash in a process group of its own. */
async function runCommand(
  command: string,
  env: Record<string, string | undefined>,
): Promise<Outcome> {
  const started = performance.now();
  const port = await freePort();
  const child = spawn('bash', ['-c', command], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: String(port) } as unknown as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  const within = <T>(promise: Promise<T>, ms: number) =>
    Promise.race([
      promise,
      new Promise<'timeout'>((resolve) => setTimeout(resolve, ms, 'timeout')),
    ]);
  const outcome = (ok: boolean, detail: string): Outcome => ({
    command,
    ok,
    detail: ok ? detail : `${detail}\n--- last output ---\n${output.slice(-3_000)}`,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });

  try {
    const long = LONG_RUNNING.find((entry) => entry.match.test(command));
    if (!long) {
      const code = await within(exited, EXIT_TIMEOUT_MS);
      if (code === 'timeout') return outcome(false, `still running after ${EXIT_TIMEOUT_MS} ms`);
      return outcome(code === 0, `exit ${code}`);
    }
    const ready = await within(
      (async () => {
        for (;;) {
          if (long.ready.test(output)) {
            if (!long.servesWeb(command) || (await healthy(port))) return 'ready';
          }
          const code = await within(exited, 500);
          if (code !== 'timeout') return `exited (${code}) before it came up`;
        }
      })(),
      READY_TIMEOUT_MS,
    );
    if (ready !== 'ready') {
      return outcome(false, ready === 'timeout' ? `not up within ${READY_TIMEOUT_MS} ms` : ready);
    }
    signalGroup('SIGINT');
    const gone = await within(groupGone(child.pid!), STOP_TIMEOUT_MS);
    if (gone === 'timeout') {
      return outcome(false, `up, but still running ${STOP_TIMEOUT_MS} ms after Ctrl-C`);
    }
    const clean =
      long.stopped.test(output) && !/unhandled|uncaught|exited unexpectedly/i.test(output);
    return outcome(
      clean,
      `up${long.servesWeb(command) ? ' and healthy' : ''}, ${clean ? 'stopped cleanly' : 'did not stop cleanly'} on Ctrl-C`,
    );
  } finally {
    signalGroup('SIGKILL');
  }
}

/** Resolves once no process of the group is left (the script and everything it started). */
async function groupGone(pgid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(3_000),
    });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Runs the commands, at most `limit` at a time, keeping their order in the result. */
async function runAll(
  lines: string[],
  env: Record<string, string | undefined>,
  limit: number,
): Promise<Outcome[]> {
  const results: Outcome[] = new Array(lines.length);
  let next = 0;
  const worker = async () => {
    while (next < lines.length) {
      const index = next++;
      results[index] = await runCommand(lines[index]!, env);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describe('README commands', () => {
  let run: RegisteredRun | undefined;
  let env: Record<string, string | undefined> = {};

  beforeAll(async () => {
    const services = requireServiceEnv();
    const id = `wfreadme-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const databaseUrl = withDatabase(services.DATABASE_URL, id.replace(/-/g, '_'));
    env = {
      ...process.env,
      ...services,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      QUEUE_PREFIX: id,
      EVENT_CHANNEL_PREFIX: `${id}:events`,
      MQTT_CLIENT_ID: id,
      MQTT_SHARE_GROUP: id,
      MQTT_SESSION_EXPIRY_S: '60',
      // No tile server is reachable from these machines.
      MAP_TILE_URL: '',
    };
    // A user's shell has no NODE_ENV (vitest sets "test").
    delete env.NODE_ENV;
    // Beside the local stack, the scripts must find the broker credentials themselves.
    if (isLocalBroker(env.MQTT_URL) && existsSync(LOCAL_CREDENTIALS_FILE)) {
      for (const name of CREDENTIAL_VARIABLES) delete env[name];
    } else {
      console.log(
        `[readme] broker ${env.MQTT_URL} is not this checkout's local stack: credentials from the environment`,
      );
    }
    run = await registerRun(registryServicesFromEnv(), {
      id,
      kind: 'readme',
      ...resourcesOfConfig(loadConfig(env)),
      databaseUrl,
    });
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl);
    const { seed } = await import('../../prisma/seed');
    await seed(databaseUrl);
  }, 300_000);

  afterAll(async () => {
    await run?.release();
  }, 120_000);

  it('finds the commands, and every line it cannot run is still in the README', () => {
    expect(commands).toContain(
      'npm run simulate -- --guards 2000 --rate 1 --auth bulk --connections 8',
    );
    expect(commands).toContain('npm run stack -- clean');
    for (const line of Object.keys(CANNOT_RUN)) expect(commands).toContain(line);
  });

  it('runs every other command as written', async () => {
    // `stack down` stops only services it started; with the URLs set it must leave them alone.
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'MQTT_URL']) expect(env[name]).toBeTruthy();
    const runnable = commands.filter((command) => !(command in CANNOT_RUN));
    const outcomes = await runAll(runnable, env, CONCURRENCY);
    for (const o of outcomes)
      console.log(
        `[readme] ${o.ok ? 'ok  ' : 'FAIL'} ${o.seconds}s  ${o.command}: ${o.detail.split('\n')[0]}`,
      );
    expect(outcomes.filter((o) => !o.ok).map((o) => `${o.command}: ${o.detail}`)).toEqual([]);
  }, 900_000);
});
