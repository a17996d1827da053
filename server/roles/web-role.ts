/** The web role: Next.js pages, Socket.IO, /healthz and /metrics on one HTTP server. */
import type { Server } from 'node:http';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { listOpenAlerts } from '../alerts/queries';
import { listGuards } from '../guards/queries';
import type { HealthReport } from '../http/health';
import { provideWebContext } from '../http/web-context';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { ProcessReport } from '../metrics/process-report';
import type { ProcessClients } from '../process-clients';
import { createEventPublisher } from '../realtime/event-channel';
import { SERVER_EVENTS } from '../../contract/socket-events';
import type { ProcessHealthDto } from '../../contract/charts';
import { createSocketServer } from '../realtime/socket-server';
import { createBroadcastReceipts } from '../realtime/broadcast-receipts';
import { connectionName } from '../process-clients';
import { withDuplicateName } from '../redis';
import { authSettings } from '../auth/auth-settings';
import { createLoginLimiter } from '../auth/login-limiter';
import { createReplayLimiter } from '../guards/replay-limiter';
import { createChannelCodec } from '../security/channel-codec';
import { startCharts } from '../charts/start-charts';
import { createAdminServices } from '../admin/admin-services';
import { ADMIN_ROOM, CHARTS_ROOM } from '../realtime/rooms';
import { screenSettings } from '../realtime/screen-settings';
import { listSites } from '../sites/queries';
import type { RoleHandle } from './role';
import { startLivePush } from './web/live-push';
import { createWebHttp, listen } from './web/web-http';

export interface WebRoleHandle extends RoleHandle {
  httpServer: Server;
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
}

export interface WebRoleDeps {
  db: Database;
  /** PostgreSQL answered the last probe (server/db/database-probe.ts). */
  databaseHealthy(): boolean;
  logger: Logger;
  metrics: Metrics;
  health(): HealthReport;
  /** Every process's report, for the charts. */
  readReports(): Promise<ProcessReport[]>;
  /** false serves the API, sockets and metrics without pages (integration tests). */
  pages: boolean;
  clients: ProcessClients;
}

/** Prepares Next.js (unless pages are off), wires sockets, live events, admin and charts, then listens. */
export async function startWebRole(config: Config, deps: WebRoleDeps): Promise<WebRoleHandle> {
  const logger = deps.logger.child({ role: 'web' });
  const { db, clients } = deps;
  const http = await createWebHttp(config, { ...deps, logger });

  // Writes that wait out a Redis outage; admin and charts fail fast on the other shared connection.
  const redis = clients.shared('waiting', {
    role: 'web',
    purpose: 'event publisher, login and replay limiters, socket.io adapter writes',
  });
  const commandsRedis = clients.shared('commands', {
    role: 'web',
    purpose: 'admin queues and stats, charts',
  });
  const codec = createChannelCodec(config.CHANNELS_ENCRYPTION_KEY);
  const channelSecurity = (path: string) => ({
    codec,
    onRejected: (reason: string) => deps.metrics.channelMessageRejected.inc({ path, reason }),
  });
  // Set once the charts start (below): the admin page lists the processes they merge.
  let listProcesses = (): ProcessHealthDto[] => [];
  const admin = createAdminServices(config, logger, db, commandsRedis, () => listProcesses());
  const socketAuth = { pool: db.pool, settings: authSettings(config) };
  // The adapter writes on the shared connection and duplicates it twice (its blocking
  // XREAD loop and its subscription): those cannot be shared, nor handed to it.
  clients.opened('socket-adapter', 2, {
    role: 'web',
    purpose: 'socket.io adapter stream read and subscription',
  });
  const adapterStream = `${config.EVENT_CHANNEL_PREFIX}:socket.io`;
  const receipts = createBroadcastReceipts(adapterStream);
  const io = createSocketServer({
    httpServer: http.httpServer,
    adapterRedis: withDuplicateName(redis, connectionName(config, 'socket-adapter')),
    streamName: adapterStream,
    streamMaxLen: config.SOCKET_STREAM_MAX_LEN,
    auth: socketAuth,
    codec,
    receipts,
    onAdapterMessageRejected: () =>
      deps.metrics.channelMessageRejected.inc({
        path: 'socket-adapter',
        reason: 'unauthenticated',
      }),
    recheckMs: config.SOCKET_RECHECK_MS,
    listSiteIds: async () => (await listSites(db.pool)).map((site) => site.id),
    loadSnapshot: async () => ({
      sites: await listSites(db.pool),
      guards: await listGuards(db.pool),
      openAlerts: await listOpenAlerts(db.pool),
      settings: screenSettings(config),
      serverTime: Date.now(),
    }),
    logger,
  });
  const live = await startLivePush(config, {
    io,
    receipts,
    clients,
    socketAuth,
    security: channelSecurity('events'),
    metrics: deps.metrics,
    logger,
  });
  // Charts merge every process's report: ingest and workers may run elsewhere.
  const charts = startCharts(config, {
    pool: db.pool,
    redis: commandsRedis,
    queues: admin.queues,
    readReports: deps.readReports,
    logger,
    // Fleet-wide figures: only to those who may see the whole fleet (socket-auth.ts mayWatchFleet).
    // Every web node samples the whole fleet itself: its own clients only, or each gets one per node.
    emit: (sample) => io.local.to(CHARTS_ROOM).emit(SERVER_EVENTS.chartSample, sample),
  });
  listProcesses = charts.processes;
  provideWebContext({
    admin,
    config,
    db,
    logger,
    publish: createEventPublisher(
      redis,
      config.EVENT_CHANNEL_PREFIX,
      logger,
      channelSecurity('events'),
    ),
    loginLimiter: createLoginLimiter(redis, {
      prefix: config.QUEUE_PREFIX,
      maxAttempts: config.LOGIN_MAX_ATTEMPTS,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
      maxConcurrentVerifications: config.LOGIN_MAX_CONCURRENT_VERIFICATIONS,
    }),
    replayLimiter: createReplayLimiter(redis, {
      prefix: config.QUEUE_PREFIX,
      perMinute: config.REPLAY_PER_MINUTE,
    }),
    chartHistory: charts.history,
  });

  // Only this node's admins: each web node pushes to its own sockets, so nothing is sent twice.
  const adminWatched = () => (io.of('/').adapter.rooms.get(ADMIN_ROOM)?.size ?? 0) > 0;
  admin.feed.start(
    (stats) => io.local.to(ADMIN_ROOM).emit(SERVER_EVENTS.adminStats, stats),
    adminWatched,
  );
  admin.storage.start(
    (storage) => io.local.to(ADMIN_ROOM).emit(SERVER_EVENTS.adminStorage, storage),
    adminWatched,
  );

  const port = await listen(http.httpServer, config);
  logger.info({ port }, 'web listening');

  return {
    name: 'web',
    httpServer: http.httpServer,
    port,
    health: () => ({
      postgres: deps.databaseHealthy(),
      socketAdapter: redis.status === 'ready',
      events: live.healthy(),
    }),
    async stop() {
      await charts.stop();
      await admin.stop();
      await live.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await http.close();
    },
  };
}
