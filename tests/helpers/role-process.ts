/**
 * A Watchfloor server process of a test's own (server/run-server.ts as
 * `npm start` runs it, without pages: headless-server.ts) on the real services, with the
 * roles and names the test gives it: for tests that kill a process with
 * SIGKILL or run several of one role.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { mqttServerCredentials, requireServiceUrls } from './services';
import { waitFor } from './wait-for';

const ROOT = path.resolve(__dirname, '../..');
const STARTED = 'watchfloor started';

export interface RoleProcess {
  child: ChildProcess;
  /** Every JSON log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line whose msg is `msg`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts the process and resolves once it logged that it started. */
export async function startRoleProcess(env: Record<string, string>): Promise<RoleProcess> {
  const urls = requireServiceUrls();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/headless-server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...mqttServerCredentials(),
      DATABASE_URL: urls.databaseUrl,
      REDIS_URL: urls.redisUrl,
      MQTT_URL: urls.mqttUrl,
      WATCHFLOOR_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log line.
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitForLog = (msg: string, timeoutMs = 60_000) =>
    waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the ${env.ROLES} process exited early`);
        return logs.find((l) => l.msg === msg);
      },
      { timeoutMs, intervalMs: 50, what: `"${msg}" from the ${env.ROLES} process` },
    );
  await waitForLog(STARTED);
  return {
    child,
    logs,
    waitForLog,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exited;
      }
    },
  };
}
