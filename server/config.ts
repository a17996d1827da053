/**
 * Environment, parsed and validated once. Nothing else in the server reads
 * process.env: the composition root calls loadConfig() and hands the result down.
 */
import { z } from 'zod';

/** Ports the project's own local services listen on when no URL points elsewhere. */
export const LOCAL_SERVICE_DEFAULTS = {
  databaseUrl: 'postgresql://watchfloor:watchfloor@127.0.0.1:55432/watchfloor',
  redisUrl: 'redis://127.0.0.1:56379',
  mqttUrl: 'mqtt://127.0.0.1:51883',
  webPort: 3000,
} as const;

export const ROLES = ['web', 'ingest', 'worker'] as const;
export type Role = (typeof ROLES)[number];

const roleList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(ROLES)).min(1, 'name at least one role'));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ROLES: roleList.default([...ROLES]),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(LOCAL_SERVICE_DEFAULTS.webPort),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url().default(LOCAL_SERVICE_DEFAULTS.databaseUrl),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z.url().default(LOCAL_SERVICE_DEFAULTS.redisUrl),
  MQTT_URL: z.url().default(LOCAL_SERVICE_DEFAULTS.mqttUrl),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  /** Stable prefix of the ingest client ids: persistent sessions need stable ids. */
  MQTT_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default('watchfloor-ingest'),
  /** Connections in the shared-subscription group; each serializes its own acks. */
  MQTT_INGEST_CONNECTIONS: z.coerce.number().int().min(1).max(32).default(4),
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default('watchfloor'),
  /** Prefix of every BullMQ key, so tests and deployments can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]{1,40}$/)
    .default('wf'),
  /** Prefix of the Redis channels that carry events from workers to web nodes. */
  EVENT_CHANNEL_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]{1,40}$/)
    .default('wf:events'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(100),
  DB_BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(5000).default(500),
  DB_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(5),
  /** Position events are coalesced per site room and flushed at this interval. */
  POSITION_FLUSH_MS: z.coerce.number().int().min(10).max(5000).default(200),
  /** Serve Next.js in development mode (hot reload) instead of the built .next output. */
  NEXT_DEV: z.stringbool().default(false),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(9000),
});

export type Config = z.infer<typeof envSchema>;

/** Thrown when the environment is invalid; lists every problem at once. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the given environment (process.env by default) into a typed Config. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`),
    );
  }
  return result.data;
}
