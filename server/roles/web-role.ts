/** The web role: Next.js pages, Socket.IO, /healthz and /metrics on one HTTP server. */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import next from 'next';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { listOpenAlerts } from '../alerts/queries';
import { listGuards } from '../guards/queries';
import type { HealthReport } from '../http/health';
import { opsAccess } from '../http/ops-access';
import { createRequestHandler } from '../http/request-handler';
import { provideWebContext } from '../http/web-context';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { ProcessReport } from '../metrics/process-report';
import { createEventPublisher, subscribeToEvents } from '../realtime/event-channel';
import { SERVER_EVENTS } from '../../contract/socket-events';
import { siteRoom } from '../realtime/rooms';
import { createEventRouter } from '../realtime/event-router';
import { startEventStream } from '../realtime/event-stream';
import {
  createDeviceStatusCoalescer,
  createPositionCoalescer,
  createSensorReadingCoalescer,
} from '../realtime/coalescer';
import { createSocketServer } from '../realtime/socket-server';
import { recheckSockets, socketsOf } from '../realtime/socket-auth';
import { createRedis } from '../redis';
import { authSettings } from '../auth/auth-settings';
import { createLoginLimiter } from '../auth/login-limiter';
import { createReplayLimiter } from '../guards/replay-limiter';
import { createChannelCodec } from '../security/channel-codec';
import { staticSecurityHeaders } from '../security/headers';
import { loadTlsFiles } from '../security/tls';
import { stampClientAddress } from '../security/client-address';
import { redactKioskToken } from '../security/kiosk-link';
import { startCharts } from '../charts/start-charts';
import { createAdminServices } from '../admin/admin-services';
import { ADMIN_ROOM, CHARTS_ROOM } from '../realtime/rooms';
import { screenSettings } from '../realtime/screen-settings';
import { listSites } from '../sites/queries';
import type { RoleHandle } from './role';

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
}

/** Prepares Next.js (unless pages are off), then listens. */
export async function startWebRole(config: Config, deps: WebRoleDeps): Promise<WebRoleHandle> {
  const logger = deps.logger.child({ role: 'web' });
  const nextApp = deps.pages
    ? next({ dev: config.NEXT_DEV, dir: process.cwd(), quiet: true })
    : null;
  await nextApp?.prepare();
  const nextHandler = nextApp?.getRequestHandler();

  // HTTPS/WSS when a certificate is configured; otherwise TLS ends at a proxy in front (or development).
  const tls = loadTlsFiles(config);
  const httpServer: Server = tls ? createHttpsServer(tls) : createServer();
  const securityHeaders = staticSecurityHeaders({
    hsts: config.NODE_ENV === 'production' && !config.LOCAL_DEMO,
  });
  const requestHandler = createRequestHandler({
    registry: deps.metrics.registry,
    health: deps.health,
    opsAccess: opsAccess(config, { internal: false }),
    next: async (req, res) => {
      if (nextHandler) return nextHandler(req, res);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'pages are disabled' } }));
    },
  });
  httpServer.on('request', (req, res) => {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    stampClientAddress(req, config.TRUST_TLS_PROXY);
    requestHandler(req, res).catch((err: Error) => {
      // Never a wall link's token in the log.
      logger.error({ err: err.message, url: redactKioskToken(req.url) }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
    });
  });

  const adapterRedis = createRedis(config, { name: 'socket-adapter', logger });
  const eventsRedis = createRedis(config, { name: 'event-subscriber', logger });
  const streamRedis = createRedis(config, { name: 'event-stream', logger });
  const publisherRedis = createRedis(config, { name: 'web-event-publisher', logger });
  const codec = createChannelCodec(config.CHANNELS_ENCRYPTION_KEY);
  const channelSecurity = (path: string) => ({
    codec,
    onRejected: (reason: string) => deps.metrics.channelMessageRejected.inc({ path, reason }),
  });
  const admin = createAdminServices(config, logger, deps.db);
  provideWebContext({
    admin,
    config,
    db: deps.db,
    logger,
    publish: createEventPublisher(
      publisherRedis,
      config.EVENT_CHANNEL_PREFIX,
      logger,
      channelSecurity('events'),
    ),
    loginLimiter: createLoginLimiter(publisherRedis, {
      prefix: config.QUEUE_PREFIX,
      maxAttempts: config.LOGIN_MAX_ATTEMPTS,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
      maxConcurrentVerifications: config.LOGIN_MAX_CONCURRENT_VERIFICATIONS,
    }),
    replayLimiter: createReplayLimiter(publisherRedis, {
      prefix: config.QUEUE_PREFIX,
      perMinute: config.REPLAY_PER_MINUTE,
    }),
  });
  const socketAuth = { pool: deps.db.pool, settings: authSettings(config) };
  const io = createSocketServer({
    httpServer,
    adapterRedis,
    streamName: `${config.EVENT_CHANNEL_PREFIX}:socket.io`,
    streamMaxLen: config.SOCKET_STREAM_MAX_LEN,
    auth: socketAuth,
    codec,
    onAdapterMessageRejected: () =>
      deps.metrics.channelMessageRejected.inc({
        path: 'socket-adapter',
        reason: 'unauthenticated',
      }),
    recheckMs: config.SOCKET_RECHECK_MS,
    listSiteIds: async () => (await listSites(deps.db.pool)).map((site) => site.id),
    loadSnapshot: async () => ({
      sites: await listSites(deps.db.pool),
      guards: await listGuards(deps.db.pool),
      openAlerts: await listOpenAlerts(deps.db.pool),
      settings: screenSettings(config),
      serverTime: Date.now(),
    }),
    logger,
  });
  // Next's dev server needs the upgrades Socket.IO does not take (hot reload).
  if (nextApp && config.NEXT_DEV) {
    const nextUpgrade = nextApp.getUpgradeHandler();
    httpServer.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket.io')) void nextUpgrade(req, socket, head);
    });
  }

  const coalescer = createPositionCoalescer(
    (position) => siteRoom(position.siteId),
    config.POSITION_FLUSH_MS,
    (room, positions) => io.to(room).emit(SERVER_EVENTS.guardPositions, positions),
  );
  const deviceCoalescer = createDeviceStatusCoalescer(
    (status) => siteRoom(status.siteId),
    config.FLEET_FLUSH_MS,
    (room, statuses) => io.to(room).emit(SERVER_EVENTS.devicesStatus, statuses),
  );
  const sensorCoalescer = createSensorReadingCoalescer(
    (reading) => siteRoom(reading.siteId),
    config.FLEET_FLUSH_MS,
    (room, readings) => io.to(room).emit(SERVER_EVENTS.sensorReadings, readings),
  );
  const routeEvent = createEventRouter({
    io,
    coalescePosition: (position) => coalescer.add(position),
    coalesceDeviceStatus: (status) => deviceCoalescer.add(status),
    coalesceSensorReading: (reading) => sensorCoalescer.add(reading),
    recheckPrincipal: (principalId) =>
      void recheckSockets(socketsOf(io.of('/').sockets.values(), principalId), {
        ...socketAuth,
        logger,
      }),
    metrics: deps.metrics,
  });
  // Per-node events (access changes) reach every node; broadcast events reach one node each.
  await subscribeToEvents(
    eventsRedis,
    config.EVENT_CHANNEL_PREFIX,
    routeEvent,
    logger,
    channelSecurity('events'),
  );
  const eventStream = startEventStream({
    redis: streamRedis,
    channel: config.EVENT_CHANNEL_PREFIX,
    security: channelSecurity('events'),
    onEvent: routeEvent,
    logger,
  });
  // Only this node's admins: each web node pushes to its own sockets, so nothing is sent twice.
  admin.feed.start(
    (stats) => io.local.to(ADMIN_ROOM).emit(SERVER_EVENTS.adminStats, stats),
    () => (io.of('/').adapter.rooms.get(ADMIN_ROOM)?.size ?? 0) > 0,
  );
  admin.storage.start(
    (storage) => io.local.to(ADMIN_ROOM).emit(SERVER_EVENTS.adminStorage, storage),
    () => (io.of('/').adapter.rooms.get(ADMIN_ROOM)?.size ?? 0) > 0,
  );
  // Charts merge every process's report: ingest and workers may run elsewhere.
  const charts = startCharts(config, {
    pool: deps.db.pool,
    readReports: deps.readReports,
    logger,
    // Fleet-wide figures: only to those who may see the whole fleet (socket-auth.ts mayWatchFleet).
    // Every web node samples the whole fleet itself: its own clients only, or each gets one per node.
    emit: (sample) => io.local.to(CHARTS_ROOM).emit(SERVER_EVENTS.chartSample, sample),
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port }, 'web listening');

  return {
    name: 'web',
    httpServer,
    port,
    health: () => ({
      postgres: deps.databaseHealthy(),
      socketAdapter: adapterRedis.status === 'ready',
      events: eventsRedis.status === 'ready' && streamRedis.status === 'ready',
    }),
    async stop() {
      await charts.stop();
      await admin.stop();
      await eventStream.stop();
      coalescer.stop();
      deviceCoalescer.stop();
      sensorCoalescer.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await nextApp?.close();
      await Promise.all([
        adapterRedis.quit(),
        eventsRedis.quit(),
        streamRedis.quit(),
        publisherRedis.quit(),
      ]);
    },
  };
}
