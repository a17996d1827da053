/**
 * Composition root: builds the clients and starts the configured roles;
 * stop() takes them down in reverse order. Tests start their own instance.
 */
import type { Config } from './config';
import { createDatabase, replicaSettings } from './db/database';
import { startDatabaseProbe } from './db/database-probe';
import { summarizeHealth } from './http/health';
import { startOpsServer } from './http/ops-server';
import type { ChannelSecurity } from './realtime/event-channel';
import { createChannelCodec } from './security/channel-codec';
import type { Logger } from './logger';
import { createProcessClients, logConnections } from './process-clients';
import { createMetrics, type Metrics } from './metrics/metrics';
import { startProcessReports } from './metrics/process-reports';
import { cachedDatabaseSize } from './metrics/state-sources';
import { startIngestRole } from './roles/ingest-role';
import type { RoleHandle } from './roles/role';
import { startWebRole, type WebRoleHandle } from './roles/web-role';
import { startWorkerRole } from './roles/worker-role';

export interface Watchfloor {
  web: WebRoleHandle | null;
  metrics: Metrics;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve the Next.js pages (default); tests of the pipeline turn them off. */
  pages?: boolean;
}

/** Starts every role named in config.ROLES (workers first, ingest last). */
export async function startWatchfloor(
  config: Config,
  logger: Logger,
  { pages = true }: StartOptions = {},
): Promise<Watchfloor> {
  const metrics = createMetrics();
  // Every Redis connection of the process comes from here, shared where it can be (process-clients.ts).
  const clients = createProcessClients(config, logger);
  const db = createDatabase({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    logger,
    replica: replicaSettings(config),
  });
  // Web and workers cannot work without PostgreSQL: each reports it as a health component.
  const usesDatabase = config.ROLES.includes('web') || config.ROLES.includes('worker');
  const dbProbe = usesDatabase
    ? startDatabaseProbe(db.pool, {
        intervalMs: config.DATABASE_HEALTH_PROBE_MS,
        timeoutMs: Math.min(config.DATABASE_HEALTH_PROBE_MS, 5_000),
        logger,
      })
    : null;
  await dbProbe?.ready;
  const databaseHealthy = () => dbProbe?.healthy() ?? false;
  // Every event that crosses Redis between processes is sealed with this codec.
  const channel: ChannelSecurity = { codec: createChannelCodec(config.CHANNELS_ENCRYPTION_KEY) };
  const roles: RoleHandle[] = [];
  let web: WebRoleHandle | null = null;

  // Processes that use the database report its size; an ingest-only one never connects to it.
  if (config.ROLES.includes('worker') || config.ROLES.includes('web'))
    metrics.setStateSources({
      databaseSizeBytes: cachedDatabaseSize(db.pool, config.DATABASE_SIZE_CACHE_MS),
    });
  const health = () => summarizeHealth(roles);
  // Every process reports itself, so web nodes chart ingest and workers running elsewhere.
  const reports = startProcessReports(config, {
    redis: clients.shared('commands', { role: 'process', purpose: 'process reports' }),
    metrics,
    health: () => health().components,
    logger,
    channel,
  });

  try {
    // Consumers before producers, so nothing is taken in before it can be processed.
    if (config.ROLES.includes('worker'))
      roles.push(
        startWorkerRole(config, { db, databaseHealthy, logger, metrics, channel, clients }),
      );
    if (config.ROLES.includes('web')) {
      web = await startWebRole(config, {
        db,
        databaseHealthy,
        logger,
        metrics,
        health,
        readReports: reports.readReports,
        pages,
        clients,
      });
      roles.push(web);
    }
    if (config.ROLES.includes('ingest'))
      roles.push(await startIngestRole(config, { logger, metrics, clients }));
    // The internal ops port, whatever the roles: metrics and details never need the public port.
    if (config.METRICS_PORT) {
      const ops = await startOpsServer({
        host: config.HOST,
        port: config.METRICS_PORT,
        registry: metrics.registry,
        health,
      });
      roles.push({ name: 'ops', health: () => ({}), stop: () => ops.close() });
    }
    // Pushed last, so stopped first: web nodes see this process go at once.
    roles.push({ name: 'process-reports', health: () => ({}), stop: () => reports.stop() });
  } catch (error) {
    dbProbe?.stop();
    await reports.stop();
    await stopAll(roles, logger);
    await clients.quit();
    await db.close();
    throw error;
  }
  // One line per role: every connection it holds and why (an ingest never opens PostgreSQL).
  const postgres = {
    poolMax: config.DATABASE_POOL_SIZE,
    replicaPoolMax: config.DATABASE_READ_URL ? config.DATABASE_POOL_SIZE : null,
  };
  for (const role of config.ROLES)
    logConnections(logger, role, clients, role === 'ingest' ? null : postgres);
  logger.info(
    { roles: config.ROLES, redisConnections: clients.redisOf().count },
    'watchfloor started',
  );

  return {
    web,
    metrics,
    async stop() {
      await stopAll(roles, logger);
      await clients.quit();
      dbProbe?.stop();
      await db.close();
    },
  };
}

async function stopAll(roles: RoleHandle[], logger: Logger): Promise<void> {
  for (const role of [...roles].reverse()) {
    try {
      await role.stop();
      logger.info({ role: role.name }, 'role stopped');
    } catch (error) {
      logger.error(
        { role: role.name, err: (error as Error).message },
        'role failed to stop cleanly',
      );
    }
  }
}
