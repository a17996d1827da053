/**
 * The pid-file daemon code the local Redis and Mosquitto share, on a private
 * redis-server in a temporary directory and a free port (the shared services
 * are never touched): started once, found again by its pid file, reused,
 * refused when a stranger holds the port, and stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pingRedis } from '../../scripts/stack/redis';
import { run } from '../../scripts/stack/exec';
import { pidDaemon, type PidDaemonSpec } from '../../scripts/stack/pid-daemon';
import { freePort } from '../helpers/ports';

const dirs: string[] = [];
const daemons: ReturnType<typeof pidDaemon>[] = [];
const quiet = () => undefined;

async function privateRedis(): Promise<ReturnType<typeof pidDaemon>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wf-pid-daemon-'));
  dirs.push(dataDir);
  const port = await freePort();
  const spec: PidDaemonSpec = {
    service: 'redis',
    label: 'test Redis',
    processName: 'redis-server',
    urlVariable: 'REDIS_URL',
    url: `redis://127.0.0.1:${port}`,
    port,
    dataDir,
    pidFile: path.join(dataDir, 'redis.pid'),
    logFile: path.join(dataDir, 'redis.log'),
  };
  const daemon = pidDaemon(spec);
  daemons.push(daemon);
  return daemon;
}

const startRedis =
  ({ spec }: ReturnType<typeof pidDaemon>) =>
  () =>
    run('redis-server', [
      '--port',
      String(spec.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      spec.dataDir,
      '--save',
      '',
      '--daemonize',
      'yes',
      '--pidfile',
      spec.pidFile,
      '--logfile',
      spec.logFile,
    ]);

afterAll(async () => {
  for (const daemon of daemons) await daemon.stop(quiet).catch(() => undefined);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a pid-file daemon', () => {
  it('starts once, is reused by the next start, reports itself running, and stops', async () => {
    const daemon = await privateRedis();
    expect(await daemon.status()).toMatchObject({ running: false });
    const ready = () => pingRedis(daemon.spec.url);
    const first = await daemon.startOrReuse(quiet, startRedis(daemon), ready);
    expect(first).toMatchObject({ name: 'redis', origin: 'started', url: daemon.spec.url });
    const pid = daemon.runningPid();
    expect(pid).not.toBeNull();

    let startedAgain = false;
    const second = await daemon.startOrReuse(
      quiet,
      async () => {
        startedAgain = true;
      },
      ready,
    );
    expect(second.origin).toBe('reused');
    expect(startedAgain).toBe(false);
    expect(await daemon.status()).toMatchObject({ running: true });

    // Only the handle that started it stops it.
    await second.stop();
    expect(daemon.runningPid()).toBe(pid);
    await first.stop();
    expect(daemon.runningPid()).toBeNull();
    expect(await daemon.status()).toMatchObject({ running: false });
    expect(await daemon.stop(quiet)).toBe(false);
  });

  it('refuses to start when another process holds the port, naming the variable to use it', async () => {
    const daemon = await privateRedis();
    const stranger = createServer();
    await new Promise<void>((resolve) => stranger.listen(daemon.spec.port, '127.0.0.1', resolve));
    try {
      await expect(
        daemon.startOrReuse(quiet, startRedis(daemon), () => pingRedis(daemon.spec.url)),
      ).rejects.toThrow(/not the project's test Redis.*REDIS_URL/);
      expect(daemon.runningPid()).toBeNull();
    } finally {
      await new Promise((resolve) => stranger.close(resolve));
    }
  });
});
