/**
 * The server process as operators run it: started as `npm start` does,
 * stopped with SIGTERM, it finishes and exits 0 (and well within 10 s).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const root = join(__dirname, '../..');

describe('server process', () => {
  it('stops cleanly with exit code 0 on SIGTERM', async () => {
    const urls = requireServiceUrls();
    const id = uniqueId('shutdown');
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: urls.databaseUrl,
        REDIS_URL: urls.redisUrl,
        MQTT_URL: urls.mqttUrl,
        // The pipeline roles only: the web role needs a Next.js build, tested end to end.
        ROLES: 'ingest,worker',
        // A test run: production would (rightly) refuse the local stack's default logins.
        WATCHFLOOR_ENV: 'test',
        QUEUE_PREFIX: id,
        EVENT_CHANNEL_PREFIX: `${id}:events`,
        MQTT_CLIENT_ID: id,
        MQTT_SHARE_GROUP: id,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );

    await waitFor(() => output.includes('watchfloor started'), {
      timeoutMs: 30_000,
      what: 'start-up',
    });
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, output.slice(-2000)).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
