/**
 * ioredis connections with backoff and an error listener (an unhandled 'error'
 * kills the process). One factory for a single Redis and a Redis Cluster:
 * REDIS_URL names one node, or several separated by commas (cluster seed
 * nodes), and REDIS_CLUSTER=true makes even one URL a cluster seed. Every
 * client of the server comes from here, so every one speaks the same mode.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { backoffDelay } from './backoff';
import type { Config } from './config';
import type { Logger } from './logger';

/** A connection to a single Redis or to a Redis Cluster; both speak the same commands. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: REDIS_URL (one URL, or cluster nodes separated by commas) and REDIS_CLUSTER. */
export type RedisTarget = Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER'>;

export interface RedisConnectionOptions {
  name: string;
  logger: Logger;
  /**
   * Producers fail fast while Redis is down (the caller retries and the MQTT
   * message stays unacknowledged); BullMQ workers and subscribers wait.
   */
  failFast?: boolean;
}

/** The node URLs of a REDIS_URL value (one, or several separated by commas). */
export function redisNodeUrls(url: string): string[] {
  return url
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Whether a REDIS_URL/REDIS_CLUSTER pair names a cluster: a list of nodes always does. */
export function isClusterTarget(url: string, cluster = false): boolean {
  return cluster || redisNodeUrls(url).length > 1;
}

/** Connection options every node shares: credentials, TLS and database come from the first URL. */
function nodeOptions(url: URL): RedisOptions {
  return {
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/** Creates one connection; callers own it and quit it on shutdown. */
export function createRedis(
  { REDIS_URL: url, REDIS_CLUSTER: cluster }: RedisTarget,
  { name, logger, failFast = false }: RedisConnectionOptions,
): RedisClient {
  const retryStrategy = (attempt: number) => backoffDelay(attempt, { baseMs: 100, maxMs: 5000 });
  const common: RedisOptions = {
    connectionName: name,
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
  };
  let redis: RedisClient;
  if (isClusterTarget(url, cluster)) {
    const nodes = redisNodeUrls(url).map((node) => new URL(node));
    redis = new Cluster(
      nodes.map((node) => ({ host: node.hostname, port: Number(node.port || 6379) })),
      {
        redisOptions: {
          connectionName: name,
          maxRetriesPerRequest: common.maxRetriesPerRequest,
          ...nodeOptions(nodes[0]!),
        },
        clusterRetryStrategy: retryStrategy,
        enableOfflineQueue: !failFast,
        // Wait out a failover (a replica being promoted) rather than failing the command at once.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 500,
      },
    );
  } else {
    redis = new Redis(url, { ...common, retryStrategy });
  }
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger.warn({ redis: name, err: err.message }, 'redis connection error');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({ redis: name }, 'redis reconnected');
    down = false;
  });
  return redis;
}

/**
 * The BullMQ prefix of one queue. On a cluster every key of a queue must hash
 * to one slot (BullMQ's Lua scripts touch several keys at once), so the queue
 * name goes in a hash tag: `<prefix>:{<queue>}`, one slot per queue, and the
 * queues spread over the masters. A single Redis keeps the plain prefix, so an
 * existing deployment's waiting jobs stay where its workers look for them.
 */
export function queuePrefix(prefix: string, queue: string, redis: { isCluster: boolean }): string {
  return redis.isCluster ? `${prefix}:{${queue}}` : prefix;
}

/**
 * The client with some of its methods replaced: every other property is the
 * client's own, its methods bound to it (ioredis methods read `this`). How the
 * wrappers handed to libraries (a named duplicate(), a sealed adapter client,
 * tagged broadcasts) change a few calls and leave the rest alone.
 */
export function overriding(redis: RedisClient, overrides: Record<string, unknown>): RedisClient {
  return new Proxy(redis, {
    get(target, property) {
      if (typeof property === 'string' && Object.hasOwn(overrides, property))
        return overrides[property];
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/**
 * The client, whose duplicate() (how libraries such as the Socket.IO adapter
 * open their blocking and subscriber connections) names the new connection
 * `name`, so CLIENT LIST tells them from the client they came from.
 */
export function withDuplicateName(redis: RedisClient, name: string): RedisClient {
  const duplicate = () =>
    redis instanceof Cluster
      ? redis.duplicate([], {
          redisOptions: { ...redis.options.redisOptions, connectionName: name },
        })
      : redis.duplicate({ connectionName: name });
  return overriding(redis, { duplicate });
}
