/**
 * The registry of runs that create data of their own on the shared services
 * (benchmarks, e2e and integration runs, the README check): each records in
 * Redis, before creating anything, its owner process, its queue prefixes,
 * scratch database and MQTT client ids. The run removes them when it ends;
 * when it died instead (SIGKILL, a crash, a machine reboot), `npm run stack --
 * clean` finds its owner process gone and removes them then. Several engineers
 * and checkouts share one Redis, PostgreSQL and broker: data is removed only
 * when its owner is provably dead, never because it looks old.
 */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Config } from '../../server/config';
import { slotClientIdPrefix } from '../../server/mqtt/ingest-slots';
import { endSession } from '../../server/mqtt/session-drain';
import { ingestSessionClientIds } from '../../server/mqtt/subscriber';
import { dropDatabase } from '../stack/database';

/** The Redis hash of runs: field = run id, value = RunRecord as JSON. */
export const RUN_REGISTRY_KEY = 'watchfloor:runs';
/** Keys deleted per UNLINK while a prefix is emptied. */
const UNLINK_BATCH = 500;
/** Valid queue prefixes (server/config.ts): never a glob character, so `<prefix>:*` matches only them. */
const PREFIX_PATTERN = /^[A-Za-z0-9_:-]{1,60}$/;

export interface RunResources {
  /** Redis key prefixes: every key `<prefix>:*` belongs to the run (QUEUE_PREFIX, EVENT_CHANNEL_PREFIX). */
  redisPrefixes: string[];
  /** A database the run created and owns (full URL); dropped with the run. */
  databaseUrl?: string;
  /** Persistent broker sessions the run's ingest opens (client ids); cleared with the run. */
  mqttClientIds?: string[];
}

export interface RunRecord extends RunResources {
  id: string;
  kind: string;
  /** The process whose death makes the data dead; on `host` only. */
  pid: number;
  host: string;
  startedAt: number;
}

export interface RegistryServices {
  redisUrl: string;
  /** Needed only to clear broker sessions; without it they expire on their own. */
  mqtt?: { url: string; username?: string; password?: string };
}

/** A deployment's own prefixes (the defaults): a run registering them would delete a live system's data. */
const NEVER_REMOVED = new Set(['wf', 'wf:events']);

/** The Redis prefixes and broker sessions a server process with this config creates. */
export function resourcesOfConfig(
  config: Pick<
    Config,
    | 'QUEUE_PREFIX'
    | 'EVENT_CHANNEL_PREFIX'
    | 'MQTT_CLIENT_ID'
    | 'MQTT_INGEST_CONNECTIONS'
    | 'MQTT_INGEST_CRITICAL_CONNECTIONS'
    | 'MQTT_INGEST_SENTINEL'
    | 'MQTT_INGEST_SLOTS'
  >,
): Required<Pick<RunResources, 'redisPrefixes' | 'mqttClientIds'>> {
  return {
    redisPrefixes: [...new Set([config.QUEUE_PREFIX, config.EVENT_CHANNEL_PREFIX])],
    // Every slot's: the run's ingests lease them in turn.
    mqttClientIds: Array.from({ length: config.MQTT_INGEST_SLOTS }, (_, slot) =>
      ingestSessionClientIds({
        clientIdPrefix: slotClientIdPrefix(config.MQTT_CLIENT_ID, slot),
        connections: config.MQTT_INGEST_CONNECTIONS,
        criticalConnections: config.MQTT_INGEST_CRITICAL_CONNECTIONS,
        sentinel: config.MQTT_INGEST_SENTINEL,
      }),
    ).flat(),
  };
}

/** What one removal did, for logs and tests. */
export interface Removal {
  id: string;
  keys: number;
  database: string | null;
  sessions: number;
}

function client(redisUrl: string): Redis {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  // A dead Redis fails the commands below, loudly; the listener only keeps the process alive.
  redis.on('error', () => undefined);
  return redis;
}

/** Deletes every key `<prefix>:*`; returns how many. */
export async function removeKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  if (!PREFIX_PATTERN.test(prefix))
    throw new Error(`refusing to remove keys of prefix "${prefix}"`);
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (let i = 0; i < keys.length; i += UNLINK_BATCH) {
      removed += await redis.unlink(...keys.slice(i, i + UNLINK_BATCH));
    }
  } while (cursor !== '0');
  return removed;
}

/**
 * Ends the persistent sessions of these client ids: a clean-start connection
 * with no expiry replaces each, then leaves. Only for a dead run (a live
 * client with the same id would be disconnected).
 */
export async function clearBrokerSessions(
  broker: NonNullable<RegistryServices['mqtt']>,
  clientIds: string[],
): Promise<number> {
  let cleared = 0;
  for (const clientId of clientIds) if (await endSession(broker, clientId)) cleared += 1;
  return cleared;
}

async function removeResources(
  redis: Redis,
  services: RegistryServices,
  record: RunRecord,
): Promise<Removal> {
  let keys = 0;
  for (const prefix of record.redisPrefixes) keys += await removeKeysWithPrefix(redis, prefix);
  const sessions =
    services.mqtt && record.mqttClientIds?.length
      ? await clearBrokerSessions(services.mqtt, record.mqttClientIds)
      : 0;
  if (record.databaseUrl) await dropDatabase(record.databaseUrl);
  await redis.hdel(RUN_REGISTRY_KEY, record.id);
  return {
    id: record.id,
    keys,
    database: record.databaseUrl ? new URL(record.databaseUrl).pathname.slice(1) : null,
    sessions,
  };
}

export interface RegisteredRun {
  record: RunRecord;
  /** Removes everything the run recorded, then its entry; runs once (later calls return the first result). */
  release(): Promise<Removal>;
}

/**
 * Records a run before it creates anything. The owner calls release() when it
 * ends, also on failure and on SIGINT/SIGTERM (after stopping what writes to
 * its prefixes); if it dies first, removeDeadRuns() does it.
 */
export async function registerRun(
  services: RegistryServices,
  run: RunResources & { id: string; kind: string; pid?: number },
): Promise<RegisteredRun> {
  const shared = run.redisPrefixes.filter((prefix) => NEVER_REMOVED.has(prefix));
  if (shared.length > 0) {
    throw new Error(`a run cannot own the deployment prefix ${shared.join(', ')}: give it its own`);
  }
  const record: RunRecord = {
    ...run,
    pid: run.pid ?? process.pid,
    host: hostname(),
    startedAt: Date.now(),
  };
  const redis = client(services.redisUrl);
  try {
    await redis.hset(RUN_REGISTRY_KEY, record.id, JSON.stringify(record));
  } finally {
    redis.disconnect();
  }
  let released: Promise<Removal> | null = null;
  const release = () => {
    released ??= (async () => {
      const connection = client(services.redisUrl);
      try {
        return await removeResources(connection, services, record);
      } finally {
        connection.disconnect();
      }
    })();
    return released;
  };
  return { record, release };
}

/** Whether the run's owner process is provably gone: on this host and no such pid. */
export function ownerIsDead(record: RunRecord, host = hostname()): boolean {
  if (record.host !== host) return false;
  try {
    process.kill(record.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Every registered run, live or not. */
export async function listRuns(redisUrl: string): Promise<RunRecord[]> {
  const redis = client(redisUrl);
  try {
    const entries = await redis.hgetall(RUN_REGISTRY_KEY);
    return Object.values(entries).map((value) => JSON.parse(value) as RunRecord);
  } finally {
    redis.disconnect();
  }
}

/** Removes the data of every registered run whose owner process is gone; live runs are kept. */
export async function removeDeadRuns(
  services: RegistryServices,
): Promise<{ removed: Removal[]; live: RunRecord[] }> {
  const runs = await listRuns(services.redisUrl);
  const redis = client(services.redisUrl);
  const removed: Removal[] = [];
  const live: RunRecord[] = [];
  try {
    for (const record of runs) {
      if (ownerIsDead(record)) removed.push(await removeResources(redis, services, record));
      else live.push(record);
    }
  } finally {
    redis.disconnect();
  }
  return { removed, live };
}

/** The registry's services from the environment scripts/test.ts and the stack export. */
export function registryServicesFromEnv(env: NodeJS.ProcessEnv = process.env): RegistryServices {
  if (!env.REDIS_URL) throw new Error('REDIS_URL is not set: the run registry lives in Redis');
  return {
    redisUrl: env.REDIS_URL,
    mqtt: env.MQTT_URL
      ? { url: env.MQTT_URL, username: env.MQTT_USERNAME, password: env.MQTT_PASSWORD }
      : undefined,
  };
}
