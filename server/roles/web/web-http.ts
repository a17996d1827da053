/** The web node's HTTP(S) server: Next.js pages (unless off), the API, /healthz and /metrics. */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Config } from '../../config';
import type { HealthReport } from '../../http/health';
import { opsAccess } from '../../http/ops-access';
import { createRequestHandler } from '../../http/request-handler';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics/metrics';
import { stampClientAddress } from '../../security/client-address';
import { staticSecurityHeaders } from '../../security/headers';
import { redactKioskToken } from '../../security/kiosk-link';
import { loadTlsFiles } from '../../security/tls';

export interface WebHttp {
  httpServer: Server;
  /** Closes Next.js (the HTTP server closes with Socket.IO). */
  close(): Promise<void>;
}

/** Prepares Next.js (unless pages are off) and builds the server; the caller listens. */
export async function createWebHttp(
  config: Config,
  deps: { metrics: Metrics; health(): HealthReport; pages: boolean; logger: Logger },
): Promise<WebHttp> {
  const { logger } = deps;
  // Loaded here, not at the top: the ingest and worker roles run the same
  // bundle and would otherwise each carry Next.js's server (~17 MB RSS).
  const nextApp = deps.pages
    ? (await import('next')).default({ dev: config.NEXT_DEV, dir: process.cwd(), quiet: true })
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
  // Next's dev server needs the upgrades Socket.IO does not take (hot reload).
  if (nextApp && config.NEXT_DEV) {
    const nextUpgrade = nextApp.getUpgradeHandler();
    httpServer.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket.io')) void nextUpgrade(req, socket, head);
    });
  }
  return { httpServer, close: async () => nextApp?.close() };
}

/** Listens on config.PORT (0 picks a free one) and answers the port bound. */
export async function listen(httpServer: Server, config: Config): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = httpServer.address();
  return typeof address === 'object' && address ? address.port : config.PORT;
}
