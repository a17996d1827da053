/**
 * Watchfloor server processes of a test's own (the real `server/index.ts`,
 * tsx as a loader so the child's pid is the server's and SIGKILL hits it),
 * on the shared services, for tests that kill or restart a worker. Each is
 * ready once it logs that it started; afterAll kills what is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { mqttServerCredentials, requireServiceUrls } from './services';
import { waitFor } from './wait-for';

const ROOT = path.resolve(__dirname, '../..');

export interface ServerProcesses {
  /**
   * Starts one with the shared services' URLs and MQTT credentials and `env`
   * on top (ROLES, QUEUE_PREFIX, ...); resolves once it has started.
   */
  start(env: Record<string, string>, what?: string): Promise<ChildProcess>;
  /** Those not exited yet. */
  running(): ChildProcess[];
  /** SIGKILL to every one still running. */
  killAll(): void;
}

/** A set of processes that one test file starts and kills. */
export function serverProcesses(): ServerProcesses {
  const children = new Set<ChildProcess>();
  return {
    async start(env, what = 'a server process') {
      const urls = requireServiceUrls();
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...mqttServerCredentials(),
          DATABASE_URL: urls.databaseUrl,
          REDIS_URL: urls.redisUrl,
          MQTT_URL: urls.mqttUrl,
          LOG_LEVEL: 'info',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.add(child);
      child.on('exit', () => children.delete(child));
      let output = '';
      child.stdout!.on(
        'data',
        (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)),
      );
      await waitFor(() => output.includes('"msg":"watchfloor started"'), {
        timeoutMs: 60_000,
        what: `${what} to start`,
      });
      return child;
    },
    running: () => [...children],
    killAll() {
      for (const child of children) child.kill('SIGKILL');
    },
  };
}
