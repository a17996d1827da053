/** /metrics and the detailed health are not public (issue 10, point 9); /healthz says only ok/degraded/down. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import type { HealthReport } from '../../server/http/health';
import { opsAccess } from '../../server/http/ops-access';
import { createRequestHandler } from '../../server/http/request-handler';

const TOKEN = 'x7Kq-9vB2mN4pR6tW8yZ0aC3eG5iL1oU';
const REPORT: HealthReport = {
  status: 'degraded',
  ok: true,
  components: { 'web.events': true },
  advisories: { 'worker.commandBreaker': { state: 'open', degraded: true } },
};
let server: Server | undefined;

async function serve(env: Record<string, string>): Promise<string> {
  const handle = createRequestHandler({
    registry: new Registry(),
    health: () => REPORT,
    opsAccess: opsAccess(loadConfig(env), { internal: false }),
    next: async (_req, res) => void res.writeHead(404).end(),
  });
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe('operational endpoints on the public port', () => {
  it('answer /healthz with the verdict only', async () => {
    const base = await serve({ WATCHFLOOR_ENV: 'production' });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'degraded' });
  });

  it('refuse /metrics and /healthz/details in production without a token', async () => {
    const base = await serve({ WATCHFLOOR_ENV: 'production' });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/healthz/details`)).status).toBe(401);
  });

  it('serve them for the configured bearer token only', async () => {
    const base = await serve({ WATCHFLOOR_ENV: 'production', METRICS_TOKEN: TOKEN });
    const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    expect((await fetch(`${base}/metrics`, auth(TOKEN))).status).toBe(200);
    expect((await fetch(`${base}/metrics`, auth(`${TOKEN}x`))).status).toBe(401);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const details = await fetch(`${base}/healthz/details`, auth(TOKEN));
    expect(await details.json()).toEqual(REPORT);
  });

  it('stay open in development (no token needed on a laptop)', async () => {
    const base = await serve({ WATCHFLOOR_ENV: 'development' });
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });
});
