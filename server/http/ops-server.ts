/**
 * /metrics, /healthz and /healthz/details on the internal ops port
 * (METRICS_PORT): for processes without the web role (ingest or worker alone,
 * when scaled out), and for web nodes too, so Prometheus scrapes a port the
 * public never reaches instead of the public one with a token.
 */
import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import type { HealthReport } from './health';
import { createRequestHandler } from './request-handler';

/** Listens on host:port; close() stops it. */
export async function startOpsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  health(): HealthReport;
}): Promise<{ close(): Promise<void> }> {
  const handle = createRequestHandler({
    registry: options.registry,
    health: options.health,
    // The internal port: whoever reaches it may read the details.
    opsAccess: () => true,
    next: async (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: 'NOT_FOUND',
            message: 'only /metrics, /healthz and /healthz/details here',
          },
        }),
      );
    },
  });
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
