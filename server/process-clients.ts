/**
 * The Redis connections of one process: built by the composition root, handed
 * down to the roles, quit by it after every role stopped. Each role records
 * what it uses, so the start-up log states every connection and its purpose
 * (one line per role) and tests/integration/process-connections counts them.
 *
 * What can share a connection does; what cannot has its own:
 * - `commands`: fail-fast, non-blocking commands (process reports, the ingest's
 *   producer, the admin page, the charts): an outage errors at once;
 * - `waiting`: non-blocking commands that wait out an outage (offline queue,
 *   retried forever): event publishing, the limiters, the socket adapter's
 *   writes, BullMQ workers' and producers' commands. BullMQ workers refuse a
 *   connection that gives up (maxRetriesPerRequest must be null), so these
 *   cannot share the fail-fast one;
 * - dedicated: a connection that subscribes (SUBSCRIBE takes it over) or
 *   blocks (XREAD BLOCK), and those libraries open for themselves by
 *   duplicate(): one per BullMQ Worker (its blocking job fetch), two for the
 *   Socket.IO streams adapter (its XREAD BLOCK loop and its subscription).
 */
import type { Config, Role } from './config';
import type { Logger } from './logger';
import { createRedis, type RedisClient } from './redis';

/** Who uses a connection and what for; `process` is every role's (the process reports). */
export interface ConnectionUse {
  role: Role | 'process';
  purpose: string;
}

export interface ProcessClients {
  /** The process's shared connection of that kind, opened on first use. */
  shared(kind: 'commands' | 'waiting', use: ConnectionUse): RedisClient;
  /** A connection of its own, for a subscriber or a blocking read. */
  dedicated(name: string, use: ConnectionUse): RedisClient;
  /** Records connections a library opens itself (duplicate()) from one of ours. */
  opened(name: string, count: number, use: ConnectionUse): void;
  /** The Redis connections a role holds (the process's when no role is named), and what for. */
  redisOf(role?: Role): { count: number; description: string };
  /** Quits every connection opened here. */
  quit(): Promise<void>;
}

interface Entry extends ConnectionUse {
  name: string;
  count: number;
}

/** Connection names start with the queue prefix, so one deployment's show together in CLIENT LIST. */
export function connectionName(config: Pick<Config, 'QUEUE_PREFIX'>, name: string): string {
  return `${config.QUEUE_PREFIX}:${name}`;
}

/** Creates the (still empty) set of clients for one process. */
export function createProcessClients(
  config: Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER' | 'QUEUE_PREFIX'>,
  logger: Logger,
): ProcessClients {
  const clients = new Map<string, RedisClient>();
  const entries: Entry[] = [];
  const open = (name: string, failFast: boolean) => {
    let client = clients.get(name);
    if (!client) {
      client = createRedis(config, { name: connectionName(config, name), logger, failFast });
      clients.set(name, client);
    }
    return client;
  };
  const record = (name: string, count: number, use: ConnectionUse) =>
    entries.push({ name, count, ...use });

  return {
    shared(kind, use) {
      record(kind, 1, use);
      return open(kind, kind === 'commands');
    },
    dedicated(name, use) {
      if (clients.has(name)) throw new Error(`redis connection ${name} is already open`);
      record(name, 1, use);
      return open(name, false);
    },
    opened(name, count, use) {
      record(name, count, use);
    },
    redisOf(role) {
      const mine = entries.filter((e) => !role || e.role === role || e.role === 'process');
      // A shared connection counts once, whatever number of purposes it serves.
      const byName = new Map<string, { count: number; purposes: string[] }>();
      for (const entry of mine) {
        const seen = byName.get(entry.name) ?? { count: entry.count, purposes: [] };
        seen.purposes.push(entry.purpose);
        byName.set(entry.name, seen);
      }
      const count = [...byName.values()].reduce((sum, e) => sum + e.count, 0);
      const description = [...byName]
        .map(([name, e]) => `${name}${e.count > 1 ? ` x${e.count}` : ''}: ${e.purposes.join(', ')}`)
        .join('; ');
      return { count, description };
    },
    async quit() {
      await Promise.all([...clients.values()].map((c) => c.quit().catch(() => undefined)));
    },
  };
}

/** The start-up line of one role: `[web] connections: redis 6 (...), postgres pool max 10`. */
export function logConnections(
  logger: Logger,
  role: Role,
  clients: ProcessClients,
  postgres: { poolMax: number; replicaPoolMax: number | null } | null,
): void {
  const redis = clients.redisOf(role);
  const pg = postgres
    ? `postgres pool max ${postgres.poolMax}` +
      (postgres.replicaPoolMax ? `, replica pool max ${postgres.replicaPoolMax}` : '')
    : 'postgres none';
  logger.info(
    { role, redisConnections: redis.count, postgresPoolMax: postgres?.poolMax ?? 0 },
    `[${role}] connections: redis ${redis.count} (${redis.description}), ${pg}`,
  );
}
