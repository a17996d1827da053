/**
 * The HTTP entry of a web node: operational endpoints first (/healthz,
 * /metrics), then the request-body gate (server/http/body-gate.ts),
 * everything else to Next.js.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { gateRequestBody } from './body-gate';
import { healthHttpStatus, type HealthReport } from './health';

export interface RequestHandlerOptions {
  registry: Registry;
  health(): HealthReport;
  next(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Builds the request listener of the HTTP server. */
export function createRequestHandler({ registry, health, next }: RequestHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const report = health();
      res.writeHead(healthHttpStatus(report), { 'content-type': 'application/json' });
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
