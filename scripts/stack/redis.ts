/**
 * The project-local Redis: data, pid file and log under .data/redis, bound to
 * 127.0.0.1 at the port of LOCAL_SERVICE_DEFAULTS.redisUrl.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { LOCAL_SERVICE_DEFAULTS } from '../../server/config';
import { serviceDir } from './dirs';
import { run } from './exec';
import { pidDaemon } from './pid-daemon';
import { hostPort, type Log, type ServiceHandle } from './types';

function localRedis() {
  const root = serviceDir('redis');
  return pidDaemon({
    service: 'redis',
    label: 'Redis',
    processName: 'redis-server',
    urlVariable: 'REDIS_URL',
    url: LOCAL_SERVICE_DEFAULTS.redisUrl,
    port: hostPort(LOCAL_SERVICE_DEFAULTS.redisUrl, 6379).port,
    dataDir: root,
    pidFile: path.join(root, 'redis.pid'),
    logFile: path.join(root, 'redis.log'),
  });
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
  const daemon = localRedis();
  const { port, dataDir, pidFile, logFile, url } = daemon.spec;
  return daemon.startOrReuse(
    log,
    // appendonly: BullMQ jobs are the only copy of a message between the MQTT ack
    // and the database write, so they must survive a Redis restart.
    () =>
      run('redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dataDir,
        '--appendonly',
        'yes',
        '--daemonize',
        'yes',
        '--pidfile',
        pidFile,
        '--logfile',
        logFile,
      ]),
    () => pingRedis(url),
  );
}

/** Stops the local Redis if it runs; SIGTERM makes it flush the append-only file first. */
export function stopLocalRedis(log: Log): Promise<boolean> {
  return localRedis().stop(log);
}

/** Whether the local Redis runs, and where. */
export function localRedisStatus(): Promise<{ running: boolean; detail: string }> {
  return localRedis().status();
}
