/**
 * The HTTP entry of a web node: operational endpoints first (/healthz public,
 * /healthz/details and /metrics behind server/http/ops-access.ts), then the request-body gate (server/http/body-gate.ts),
 * everything else to Next.js.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { gateRequestBody } from './body-gate';
import { healthHttpStatus, type HealthReport } from './health';
import type { OpsAccess } from './ops-access';

export interface RequestHandlerOptions {
  registry: Registry;
  health(): HealthReport;
  /** Who may read /metrics and /healthz/details here (server/http/ops-access.ts). */
  opsAccess: OpsAccess;
  next(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Builds the request listener of the HTTP server. */
export function createRequestHandler({ registry, health, opsAccess, next }: RequestHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      // Public (load balancers): the verdict only, no component names.
      const report = health();
      res.writeHead(healthHttpStatus(report), {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify({ status: report.status }));
      return;
    }
    if ((path === '/metrics' || path === '/healthz/details') && !opsAccess(req)) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer realm="watchfloor-ops"',
      });
      res.end(
        JSON.stringify({
          error: {
            code: 'OPS_TOKEN_REQUIRED',
            message: 'send Authorization: Bearer <METRICS_TOKEN>',
          },
        }),
      );
      return;
    }
    if (path === '/healthz/details') {
      const report = health();
      res.writeHead(healthHttpStatus(report), {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify(report));
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    if (!gateRequestBody(req, res, path ?? '/')) return;
    await next(req, res);
  };
}
