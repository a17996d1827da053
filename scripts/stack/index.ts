/**
 * The local services manager. For DATABASE_URL, REDIS_URL and MQTT_URL: a URL set
 * in the environment is used as is (never started or stopped); otherwise a
 * project-local instance is reused or started on the default port.
 *
 * CLI: tsx scripts/stack/index.ts up|down|status|clean [--older-than <hours>] [--dry-run]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LOCAL_SERVICE_DEFAULTS } from '../../server/config';
import { localCredentialsMissingFrom, withLocalStackCredentials } from '../lib/local-stack-env';
import { cleanLeftovers, DEFAULT_OLDER_THAN_HOURS } from './clean';
import { redact, withClient } from './database';
import { waitUntil } from './exec';
import { withServiceLock } from './lock';
import {
  connectMqtt,
  localMqttCredentials,
  localMosquittoStatus,
  startLocalMosquitto,
  stopLocalMosquitto,
} from './mosquitto';
import { localPostgresStatus, startLocalPostgres, stopLocalPostgres } from './postgres';
import { localRedisStatus, pingRedis, startLocalRedis, stopLocalRedis } from './redis';
import type { Log, ServiceHandle } from './types';
import { mqttCredentialEnv } from './mqtt-credentials';

export { ensureDatabase, dropDatabase, withDatabase } from './database';
export type { ServiceHandle } from './types';

const EXTERNAL_TIMEOUT_MS = 30_000;

export interface Services {
  databaseUrl: string;
  redisUrl: string;
  mqttUrl: string;
  /**
   * The local broker's credentials as env (MQTT_USERNAME, MQTT_PASSWORD, ...); for
   * an MQTT_URL set in the environment only those it lacks when it names the local broker.
   */
  mqttEnv: Record<string, string>;
  handles: ServiceHandle[];
  /** Stops only the services this call started, in reverse order of start. */
  stop(): Promise<void>;
}

interface ServiceSpec {
  name: ServiceHandle['name'];
  envVar: 'DATABASE_URL' | 'REDIS_URL' | 'MQTT_URL';
  startLocal(log: Log): Promise<ServiceHandle>;
  stopLocal(log: Log): Promise<boolean>;
  status(): Promise<{ running: boolean; detail: string }>;
  /** A real round trip, so a wrong password or a dead host fails here, loudly. */
  probe(url: string): Promise<boolean>;
}

/** PostgreSQL errors that no amount of waiting fixes: bad credentials, no such database. */
const PERMANENT_PG_ERRORS = new Set(['28P01', '28000', '3D000']);

async function probePostgres(url: string): Promise<boolean> {
  try {
    return await withClient(url, async (client) => (await client.query('SELECT 1')).rowCount === 1);
  } catch (error) {
    if (PERMANENT_PG_ERRORS.has((error as { code?: string }).code ?? '')) {
      throw Object.assign(new Error(`${redact(url)}: ${(error as Error).message}`), {
        fatal: true,
      });
    }
    throw error;
  }
}

const SPECS: ServiceSpec[] = [
  {
    name: 'postgres',
    envVar: 'DATABASE_URL',
    startLocal: startLocalPostgres,
    stopLocal: stopLocalPostgres,
    status: localPostgresStatus,
    probe: probePostgres,
  },
  {
    name: 'redis',
    envVar: 'REDIS_URL',
    startLocal: startLocalRedis,
    stopLocal: stopLocalRedis,
    status: localRedisStatus,
    probe: pingRedis,
  },
  {
    name: 'mosquitto',
    envVar: 'MQTT_URL',
    startLocal: startLocalMosquitto,
    stopLocal: stopLocalMosquitto,
    status: localMosquittoStatus,
    probe: connectMqtt,
  },
];

const defaultLog: Log = (message) => console.log(`[stack] ${message}`);

async function external(spec: ServiceSpec, url: string): Promise<ServiceHandle> {
  await waitUntil(`${spec.envVar} (${redact(url)})`, () => spec.probe(url), {
    timeoutMs: EXTERNAL_TIMEOUT_MS,
  });
  return { name: spec.name, url, origin: 'external', stop: async () => undefined };
}

/**
 * Makes PostgreSQL, Redis and Mosquitto available and returns their URLs; the
 * returned stop() stops only what this call started, so a second run that
 * reuses running services is quick and leaves them running.
 */
export async function ensureServices(
  options: { env?: NodeJS.ProcessEnv; log?: Log } = {},
): Promise<Services> {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  const results = await Promise.allSettled(
    SPECS.map((spec) => {
      const url = env[spec.envVar];
      if (url) return external(spec, url);
      // Started and stopped under a lock, so concurrent runs take turns and reuse.
      return withServiceLock(spec.name, () => spec.startLocal(log)).then((handle) => ({
        ...handle,
        stop: () => withServiceLock(spec.name, () => handle.stop()),
      }));
    }),
  );
  const handles = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = async () => {
    for (const handle of [...handles].reverse()) await handle.stop();
  };
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    await stop();
    throw new Error(failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n'));
  }
  const url = (name: ServiceHandle['name']) => handles.find((h) => h.name === name)?.url ?? '';
  return {
    databaseUrl: url('postgres'),
    redisUrl: url('redis'),
    mqttUrl: url('mosquitto'),
    mqttEnv:
      handles.find((h) => h.name === 'mosquitto')?.origin === 'external'
        ? // MQTT_URL set: its credentials come from the environment, or from the local stack when it names it.
          localCredentialsMissingFrom(env)
        : mqttCredentialEnv(localMqttCredentials()),
    handles,
    stop,
  };
}

/** Stops every project-local instance, whoever started it; external URLs are left alone. */
export async function stopLocalServices(
  options: { env?: NodeJS.ProcessEnv; log?: Log } = {},
): Promise<void> {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  for (const spec of [...SPECS].reverse()) {
    if (env[spec.envVar]) {
      log(`${spec.name}: external (${spec.envVar}), left alone`);
    } else if (!(await withServiceLock(spec.name, () => spec.stopLocal(log)))) {
      log(`${spec.name}: not running`);
    }
  }
}

async function printStatus(env: NodeJS.ProcessEnv): Promise<void> {
  for (const spec of SPECS) {
    const url = env[spec.envVar];
    if (url) {
      console.log(`${spec.name.padEnd(10)} external  ${redact(url)}`);
      continue;
    }
    const { running, detail } = await spec.status();
    console.log(`${spec.name.padEnd(10)} ${running ? 'running ' : 'stopped '}  ${detail}`);
  }
}

/** Removes leftovers of dead runs on the services the environment (or the local defaults) names. */
async function clean(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'older-than': { type: 'string', default: String(DEFAULT_OLDER_THAN_HOURS) },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const olderThanHours = Number(values['older-than']);
  if (!Number.isFinite(olderThanHours) || olderThanHours <= 0) {
    throw new Error('--older-than must be a positive number of hours');
  }
  const env = withLocalStackCredentials(process.env);
  await cleanLeftovers({
    services: {
      redisUrl: env.REDIS_URL || LOCAL_SERVICE_DEFAULTS.redisUrl,
      mqtt: {
        url: env.MQTT_URL || LOCAL_SERVICE_DEFAULTS.mqttUrl,
        username: env.MQTT_USERNAME,
        password: env.MQTT_PASSWORD,
      },
    },
    databaseUrl: env.DATABASE_URL || LOCAL_SERVICE_DEFAULTS.databaseUrl,
    olderThanHours,
    dryRun: values['dry-run'],
  });
}

async function main(command: string | undefined, args: string[]): Promise<void> {
  switch (command) {
    case 'up': {
      const services = await ensureServices();
      for (const handle of services.handles) {
        console.log(`${handle.name.padEnd(10)} ${handle.origin.padEnd(9)} ${redact(handle.url)}`);
      }
      return;
    }
    case 'down':
      return stopLocalServices();
    case 'status':
      return printStatus(process.env);
    case 'clean':
      return clean(args);
    default:
      console.error(
        'usage: tsx scripts/stack/index.ts up|down|status|clean [--older-than <hours>] [--dry-run]',
      );
      process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
    console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
