/** The web role: Next.js pages, Socket.IO, /healthz and /metrics on one HTTP server. */
import { createServer, type Server } from 'node:http';
import next from 'next';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { listGuards } from '../guards/queries';
import { createRequestHandler, type HealthReport } from '../http/request-handler';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { subscribeToEvents } from '../realtime/event-channel';
import { CHANNEL_EVENTS, SERVER_EVENTS, siteRoom } from '../realtime/events';
import { createPositionCoalescer } from '../realtime/position-coalescer';
import { createSocketServer } from '../realtime/socket-server';
import { createRedis } from '../redis';
import { listSites } from '../sites/queries';
import type { RoleHandle } from './role';

export interface WebRoleHandle extends RoleHandle {
  httpServer: Server;
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
}

export interface WebRoleDeps {
  db: Database;
  logger: Logger;
  metrics: Metrics;
  health(): HealthReport;
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

  const httpServer = createServer();
  const requestHandler = createRequestHandler({
    registry: deps.metrics.registry,
    health: deps.health,
    next: async (req, res) => {
      if (nextHandler) return nextHandler(req, res);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'pages are disabled' } }));
    },
  });
  httpServer.on('request', (req, res) => {
    requestHandler(req, res).catch((err: Error) => {
      logger.error({ err: err.message, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
    });
  });

  const adapterRedis = createRedis({ url: config.REDIS_URL, name: 'socket-adapter', logger });
  const eventsRedis = createRedis({ url: config.REDIS_URL, name: 'event-subscriber', logger });
  const io = createSocketServer({
    httpServer,
    adapterRedis,
    streamName: `${config.EVENT_CHANNEL_PREFIX}:socket.io`,
    loadSnapshot: async () => ({
      sites: await listSites(deps.db.pool),
      guards: await listGuards(deps.db.pool),
      serverTime: new Date().toISOString(),
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
  await subscribeToEvents(
    eventsRedis,
    config.EVENT_CHANNEL_PREFIX,
    (event) => {
      if (event.type === CHANNEL_EVENTS.guardPosition) coalescer.add(event.payload);
    },
    logger,
  );

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
      socketAdapter: adapterRedis.status === 'ready',
      events: eventsRedis.status === 'ready',
    }),
    async stop() {
      coalescer.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await nextApp?.close();
      await Promise.all([adapterRedis.quit(), eventsRedis.quit()]);
    },
  };
}
