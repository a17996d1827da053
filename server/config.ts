/**
 * Environment, parsed and validated once. Nothing else in the server reads
 * process.env: the composition root calls loadConfig() and hands the result down.
 */
import {
  DEFAULT_LOW_BATTERY_PERCENT,
  DEFAULT_OFFLINE_AFTER_MS,
  DEFAULT_STALE_AFTER_MS,
} from '../contract/thresholds';
import { ROLES, type Role } from '../contract/charts';
import { z } from 'zod';
import { QUEUE_NAMES } from './queues/routes';

/** Ports the project's own local services listen on when no URL points elsewhere. */
export const LOCAL_SERVICE_DEFAULTS = {
  databaseUrl: 'postgresql://watchfloor:watchfloor@127.0.0.1:55432/watchfloor',
  redisUrl: 'redis://127.0.0.1:56379',
  mqttUrl: 'mqtt://127.0.0.1:51883',
  webPort: 3000,
} as const;

export { ROLES, type Role };

const roleList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(ROLES)).min(1, 'name at least one role'));

const ENVIRONMENTS = ['development', 'production', 'test'] as const;

/** Brokers whose behaviour the ingest adapts to (MQTT_BROKER_KIND). */
export const MQTT_BROKER_KINDS = ['mosquitto', 'mqtt5-cluster'] as const;

const envSchema = z.object({
  // --- Environment (issue 10, point 8: production checks fail closed) ---
  /**
   * Which environment this is. The resolved value is exposed as NODE_ENV:
   * WATCHFLOOR_ENV wins, then NODE_ENV, and with neither set it is production,
   * so a bare `npm start` runs every production check. The demo, the tests and
   * the e2e harness say what they are explicitly.
   */
  WATCHFLOOR_ENV: z.enum(ENVIRONMENTS).optional(),
  NODE_ENV: z.enum(ENVIRONMENTS).optional(),
  ROLES: roleList.default([...ROLES]),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(LOCAL_SERVICE_DEFAULTS.webPort),
  /** Internal port for /metrics, /healthz and /healthz/details, any roles (unset: not served). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * Bearer token for /metrics and /healthz/details on the public port; without it
   * production serves them only on METRICS_PORT (server/http/ops-access.ts).
   */
  METRICS_TOKEN: z.string().min(24, 'at least 24 random characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * json (the default, what log shippers read) or pretty: colourised single lines through
   * pino-pretty, a devDependency, for a person at a terminal (`npm run demo` sets it).
   */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  DATABASE_URL: z.url().default(LOCAL_SERVICE_DEFAULTS.databaseUrl),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How often the web and worker roles check that PostgreSQL answers (their /healthz `postgres`). */
  DATABASE_HEALTH_PROBE_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** How long /metrics reuses the database size it read (pg_database_size walks every file). */
  DATABASE_SIZE_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /**
   * Optional PostgreSQL streaming replica for heavy reads (replay, alert history, audit,
   * storage, webhook deliveries); writes and read-after-write paths stay on DATABASE_URL.
   */
  DATABASE_READ_URL: z.url().optional(),
  /** A replica further behind than this is not read from (server/db/read-replica.ts). */
  DATABASE_READ_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** How often the replica's reachability and lag are checked. */
  DATABASE_READ_PROBE_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  /** A replica query (or connect) slower than this fails, and the read falls back. */
  DATABASE_READ_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /**
   * When the replica is down or lagging: `primary` reads from DATABASE_URL instead
   * (the default), `fail` answers 503 REPLICA_UNAVAILABLE (keeps heavy reads off the primary).
   */
  DATABASE_READ_FALLBACK: z.enum(['primary', 'fail']).default('primary'),
  /**
   * One Redis, or a Redis Cluster: several node URLs separated by commas (any
   * reachable node is enough to discover the rest; list a few so start-up
   * survives one being down). Credentials and TLS are taken from the first URL.
   */
  REDIS_URL: z
    .string()
    .default(LOCAL_SERVICE_DEFAULTS.redisUrl)
    .refine(
      (value) =>
        value
          .split(',')
          .every((node) => /^rediss?:\/\/\S+$/.test(node.trim()) && URL.canParse(node.trim())),
      'one redis:// or rediss:// URL, or several separated by commas (cluster nodes)',
    ),
  /** Treat REDIS_URL as a cluster even when it names a single seed node. */
  REDIS_CLUSTER: z.stringbool().default(false),
  MQTT_URL: z.url().default(LOCAL_SERVICE_DEFAULTS.mqttUrl),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  /** The command publisher's own broker user (write command/# only); default: MQTT_USERNAME. */
  MQTT_COMMAND_USERNAME: z.string().optional(),
  MQTT_COMMAND_PASSWORD: z.string().optional(),
  /** Stable prefix of the ingest client ids: persistent sessions need stable ids. */
  MQTT_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default('watchfloor-ingest'),
  /** Connections of the bulk lane in the shared-subscription group. */
  MQTT_INGEST_CONNECTIONS: z.coerce.number().int().min(1).max(32).default(8),
  /**
   * Messages each ingest connection processes at once, acknowledged in order
   * once durable (server/mqtt/ordered-acks.ts); advertised to the broker as the
   * MQTT 5 Receive Maximum, so it never has more unacknowledged. 1 processes
   * one message at a time.
   */
  MQTT_INGEST_IN_FLIGHT: z.coerce.number().int().min(1).max(1024).default(64),
  /**
   * The broker Watchfloor talks to, for the parts that depend on it (README "MQTT broker
   * clusters"). `mosquitto` (default, deploy/mosquitto): Mosquitto 2.0 forgets shared
   * subscriptions across a restart, so the ingest runs the restart sentinel.
   * `mqtt5-cluster` (EMQX, HiveMQ, VerneMQ): the cluster keeps shared subscriptions and
   * sessions on the surviving nodes, so no sentinel (and no doubled delivery to the ingest).
   */
  MQTT_BROKER_KIND: z.enum(MQTT_BROKER_KINDS).default('mosquitto'),
  /**
   * Run the restart sentinel: a plain persistent subscription that covers the
   * gap while the shared group re-subscribes after a broker restart. One per
   * deployment is enough; it receives every message (acknowledged at once in standby).
   * Unset: on for MQTT_BROKER_KIND=mosquitto, off for mqtt5-cluster.
   */
  MQTT_INGEST_SENTINEL: z.stringbool().optional(),
  /**
   * How long the broker keeps an ingest session (and queues for it) after a
   * disconnect: long enough to ride out a restart or deploy, short enough that
   * a retired process slot stops collecting messages.
   */
  MQTT_SESSION_EXPIRY_S: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(3600),
  /**
   * Ingest instance slots: each ingest process leases one in Redis and uses
   * that slot's client ids (persistent sessions). A live ingest takes over a
   * slot whose lease lapsed (its process is gone) and drains its session.
   */
  MQTT_INGEST_SLOTS: z.coerce.number().int().min(1).max(64).default(8),
  /**
   * How long a slot's lease lives without renewal (renewed every third of
   * it): a dead ingest's queued share waits at most about this plus
   * INGEST_TAKEOVER_MS before another ingest drains it. Must stay far below
   * MQTT_SESSION_EXPIRY_S: Mosquitto drops a session's queue when it expires.
   */
  INGEST_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** How often a live ingest looks for slots whose lease lapsed. */
  INGEST_TAKEOVER_MS: z.coerce.number().int().min(200).max(600_000).default(2_000),
  /** Connections for alerts alone: an SOS never waits behind the bulk lane's backlog. */
  MQTT_INGEST_CRITICAL_CONNECTIONS: z.coerce.number().int().min(1).max(8).default(2),
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
  /** Queues this process works (default all): run URGENT_QUEUES (routes.ts) in processes of their own. */
  WORKER_QUEUES: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((q) => q.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(QUEUE_NAMES)).min(1))
    .default([...QUEUE_NAMES]),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(100),
  /** How often workers look for queues with waiting jobs and no worker (a /healthz advisory). */
  UNWORKED_QUEUE_CHECK_MS: z.coerce.number().int().min(200).max(600_000).default(15_000),
  DB_BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(5000).default(500),
  DB_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(5),
  /** Clear fixes in a row on the other side of a geofence before exit/enter is raised. */
  GEOFENCE_CONFIRM_FIXES: z.coerce.number().int().min(1).max(20).default(2),
  /** Fixes nearer the fence than max(accuracy, this many metres) count for neither side. */
  GEOFENCE_MIN_MARGIN_M: z.coerce.number().min(0).max(500).default(10),
  /** A device at or below this battery percentage raises one low-battery alert. */
  LOW_BATTERY_PERCENT: z.coerce.number().int().min(1).max(99).default(DEFAULT_LOW_BATTERY_PERCENT),
  /**
   * Position events are coalesced per site room (latest fix per guard wins):
   * a quiet room gets a fix at once, a busy one at most one batch per this
   * interval (server/realtime/coalescer.ts). 40 ms: at 1,000 fixes/s the p99
   * to the Socket.IO client was 62 ms against 76-79 at 50 ms; the supervisor
   * page on the full pipeline kept 48 fps against 52 (README "Benchmark").
   */
  POSITION_FLUSH_MS: z.coerce.number().int().min(10).max(5000).default(40),
  /**
   * Device statuses and sensor readings are coalesced per site room (latest per id wins)
   * and flushed at this interval: a battery or a temperature does not need 50 ms.
   */
  FLEET_FLUSH_MS: z.coerce.number().int().min(10).max(10_000).default(500),
  /** Serve Next.js in development mode (hot reload) instead of the built .next output. */
  NEXT_DEV: z.stringbool().default(false),
  /** XYZ tile template for the maps; empty for none. Offline screens probe it and fall back to a grid. */
  MAP_TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MAP_TILE_ATTRIBUTION: z.string().default('&copy; OpenStreetMap contributors'),
  /** A guard with no fix for this long shows as stale. */
  GUARD_STALE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(86_400_000)
    .default(DEFAULT_STALE_AFTER_MS),
  /** A guard with nothing at all for this long shows as offline (and its device counts offline). */
  GUARD_OFFLINE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(86_400_000)
    .default(DEFAULT_OFFLINE_AFTER_MS),
  /** How often the dashboard charts sample the metrics; they keep 15 minutes. */
  CHART_SAMPLE_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
  /**
   * Entries the Socket.IO adapter's Redis stream keeps (web node to web node broadcasts, and the
   * replay for a screen that reconnects within the recovery window). Its Redis memory is this
   * times the size of a broadcast: about 2 KB at 80 guards per site, more with bigger sites.
   */
  SOCKET_STREAM_MAX_LEN: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  // --- Device commands (server/commands) and the admin page ---
  /** Consecutive failed or timed-out publishes that open the command publisher's circuit breaker. */
  COMMAND_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** First wait before an open breaker lets one trial publish through (half-open); doubles per reopen. */
  COMMAND_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
  /** Upper bound of that wait. */
  COMMAND_BREAKER_MAX_HALF_OPEN_MS: z.coerce.number().int().min(50).max(3_600_000).default(30_000),
  /** A publish not acknowledged by the broker (PUBACK) within this counts as a failure. */
  COMMAND_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3_000),
  /** While the breaker is open a command job waits this long (jittered) before it tries again. */
  COMMAND_RETRY_DELAY_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  /** How often queue and route statistics are pushed to connected admins. */
  ADMIN_PUSH_MS: z.coerce.number().int().min(250).max(60_000).default(2_000),
  /** How often table and partition sizes are pushed to connected admins (a catalogue read). */
  ADMIN_STORAGE_PUSH_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  // --- Escalation (server/escalation): e-mail, webhooks, links in notifications ---
  /** smtp://user:pass@host:587 or smtps://...:465; unset: e-mail steps are recorded as skipped. */
  SMTP_URL: z
    .url()
    .refine((u) => /^smtps?:\/\//.test(u), 'an smtp:// or smtps:// URL')
    .optional(),
  /** The From of escalation e-mails. */
  SMTP_FROM: z.string().min(3).default('Watchfloor <watchfloor@localhost>'),
  /** Set to "no-email" to run in production without SMTP (webhooks only). */
  SMTP_WAIVED: z.enum(['no-email']).optional(),
  /** The address people open links in notifications at (acknowledge, map); default: PUBLIC_ORIGINS' first, else http://localhost:PORT. */
  PUBLIC_URL: z.url().optional(),
  /** How often each worker re-adds the job of every running escalation (covers a job lost between commit and enqueue). */
  ESCALATION_SWEEP_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  /** Attempts per webhook delivery before it is marked failed, and the first backoff (doubles). */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(2_000),
  /** A receiver that has not answered within this fails the attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Consecutive failures that open a webhook's circuit breaker; first wait before a trial. */
  WEBHOOK_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  WEBHOOK_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(50).max(600_000).default(10_000),
  /** Refuse webhooks to loopback, private, link-local and other internal addresses (checked at every delivery). */
  WEBHOOK_BLOCK_PRIVATE: z.stringbool().default(true),
  /** Hosts a webhook may reach even when they are internal (comma-separated names or addresses). */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(9000),
  // --- History retention (server/history): day partitions older than this are dropped whole ---
  RETENTION_GUARD_POSITIONS_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RETENTION_DEVICE_TELEMETRY_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_SENSOR_READINGS_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_GUARD_STATUS_REPORTS_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_SYSTEM_HEALTH_REPORTS_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  /** Resolved alerts, finished commands and audit entries: purged past these, each purge audited. */
  RETENTION_ALERTS_DAYS: z.coerce.number().int().min(30).max(36500).default(365),
  RETENTION_COMMANDS_DAYS: z.coerce.number().int().min(30).max(36500).default(365),
  RETENTION_AUDIT_LOG_DAYS: z.coerce.number().int().min(30).max(36500).default(730),
  /** Day partitions kept created ahead of today, so a day's first write never waits on DDL. */
  PARTITIONS_AHEAD_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /** How often the maintenance job (partitions ahead, retention) runs, once across all workers. */
  HISTORY_MAINTENANCE_EVERY_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(86_400_000)
    .default(3_600_000),
  // --- Security (server/security/production-checks.ts says what production needs) ---
  /** Fernet key(s), comma-separated: the first encrypts, all decrypt (rotation). `npm run keygen`. */
  CHANNELS_ENCRYPTION_KEY: z.string().optional(),
  /** Keys the session-token hashes; at least 32 characters in production. */
  SESSION_SECRET: z.string().optional(),
  SESSION_TTL_HOURS: z.coerce.number().min(0.01).max(720).default(12),
  /** Set to "private-network" to accept a redis:// URL in production (no TLS). */
  REDIS_TLS_WAIVED: z.enum(['private-network']).optional(),
  /** Set to "private-network" to accept a plain mqtt:// URL in production (no TLS). */
  MQTT_TLS_WAIVED: z.enum(['private-network']).optional(),
  /** PEM files: the web role then serves HTTPS/WSS itself. */
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  /** A TLS-terminating proxy is in front: production needs no certificate here. */
  TRUST_TLS_PROXY: z.stringbool().default(false),
  /** Origins browsers may call from (comma-separated); empty: the request's own host. */
  PUBLIC_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    ),
  /**
   * The local demo and e2e runs: production build on a loopback address with demo
   * passwords, plain HTTP and a local Redis. Refused unless HOST is loopback.
   */
  LOCAL_DEMO: z.stringbool().default(false),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
  /** History replays one user may ask for per minute (each is up to 20 guards over a day). */
  REPLAY_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(30),
  /** How often live sockets' sessions, kiosk tokens and rooms are re-checked (the safety net). */
  SOCKET_RECHECK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** Password verifications (argon2id) one web node runs at once; more wait, a burst past 16x gets 503. */
  LOGIN_MAX_CONCURRENT_VERIFICATIONS: z.coerce.number().int().min(1).max(64).default(4),
});

/** Every variable the server reads (an environment file naming another has a typo). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** The environment with neither variable set: production, so nothing unsafe starts by omission. */
export const DEFAULT_ENVIRONMENT = 'production';

const configSchema = envSchema.transform(
  ({ WATCHFLOOR_ENV, NODE_ENV, MQTT_INGEST_SENTINEL, ...rest }) => ({
    ...rest,
    NODE_ENV: WATCHFLOOR_ENV ?? NODE_ENV ?? DEFAULT_ENVIRONMENT,
    // Said explicitly, it wins; otherwise only Mosquitto needs it.
    MQTT_INGEST_SENTINEL: MQTT_INGEST_SENTINEL ?? rest.MQTT_BROKER_KIND === 'mosquitto',
  }),
);

export type Config = z.infer<typeof configSchema>;

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
  const result = configSchema
    .refine(
      // A dead ingest's slot is taken over after its lease lapsed and stayed free for another lease.
      (c) => 2 * c.INGEST_LEASE_MS + c.INGEST_TAKEOVER_MS < (c.MQTT_SESSION_EXPIRY_S * 1000) / 2,
      {
        path: ['INGEST_LEASE_MS'],
        message:
          '2 × INGEST_LEASE_MS + INGEST_TAKEOVER_MS must stay below half of MQTT_SESSION_EXPIRY_S: ' +
          'a dead ingest’s queued messages are dropped when its session expires before a takeover',
      },
    )
    .safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`),
    );
  }
  return result.data;
}
