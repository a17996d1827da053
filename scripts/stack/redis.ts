/**
 * The project-local Redis: data, pid file and log under .data/redis, bound to
 * 127.0.0.1 at the port of LOCAL_SERVICE_DEFAULTS.redisUrl.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { LOCAL_SERVICE_DEFAULTS } from '../../server/config';
import { serviceDir } from './dirs';
import {
  isPortOpen,
  isProcessAlive,
  readPidFile,
  run,
  tailFile,
  terminate,
  waitUntil,
} from './exec';
import { hostPort, type Log, type ServiceHandle } from './types';

const READY_TIMEOUT_MS = 30_000;

function redisPaths() {
  const root = serviceDir('redis');
  return {
    root,
    pidFile: path.join(root, 'redis.pid'),
    logFile: path.join(root, 'redis.log'),
  };
}

function localPort(): number {
  return hostPort(LOCAL_SERVICE_DEFAULTS.redisUrl, 6379).port;
}

function runningPid(): number | null {
  const pid = readPidFile(redisPaths().pidFile);
  return pid !== null && isProcessAlive(pid, 'redis-server') ? pid : null;
}

/** One PING over a fresh connection; true on PONG. Works for any redis:// or rediss:// URL. */
export async function pingRedis(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } finally {
    client.disconnect();
  }
}

/** Reuses or starts the local Redis and waits until it answers PING. */
export async function startLocalRedis(log: Log): Promise<ServiceHandle> {
  const url = LOCAL_SERVICE_DEFAULTS.redisUrl;
  const port = localPort();
  const paths = redisPaths();
  let origin: ServiceHandle['origin'] = 'reused';
  if (runningPid() === null) {
    if (await isPortOpen('127.0.0.1', port)) {
      throw new Error(
        `Port ${port} is taken by a process that is not the project's Redis. ` +
          'Stop it, or set REDIS_URL to use it.',
      );
    }
    log(`starting Redis on 127.0.0.1:${port}`);
    // appendonly: BullMQ jobs are the only copy of a message between the MQTT ack
    // and the database write, so they must survive a Redis restart.
    await run('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      paths.root,
      '--appendonly',
      'yes',
      '--daemonize',
      'yes',
      '--pidfile',
      paths.pidFile,
      '--logfile',
      paths.logFile,
    ]);
    origin = 'started';
  }
  await waitUntil('Redis', () => pingRedis(url), {
    timeoutMs: READY_TIMEOUT_MS,
    hint: tailFile(paths.logFile),
  });
  return {
    name: 'redis',
    url,
    origin,
    stop: async () => {
      if (origin === 'started') await stopLocalRedis(log);
    },
  };
}

/** Stops the local Redis if it runs; SIGTERM makes it flush the append-only file first. */
export async function stopLocalRedis(log: Log): Promise<boolean> {
  const pid = runningPid();
  if (pid === null) return false;
  log('stopping Redis');
  await terminate(pid);
  return true;
}

/** Whether the local Redis runs, and where. */
export async function localRedisStatus(): Promise<{ running: boolean; detail: string }> {
  const pid = runningPid();
  const running = pid !== null && (await isPortOpen('127.0.0.1', localPort()));
  return { running, detail: `Redis, data ${redisPaths().root}, port ${localPort()}` };
}
