/**
 * /healthz/details through a PostgreSQL outage: the web and worker roles each report
 * PostgreSQL, so a node that cannot reach its database says "down" (503) and
 * says which dependency failed, then "ok" again once it is back. A fault run
 * saw "ok" for the whole of a 30 s outage. The database is a private
 * PostgreSQL: stopping the shared one would stop everyone else's work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../server/http/health';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { startPrivatePostgres, type PrivateService } from '../helpers/private-services';
import { waitFor } from '../helpers/wait-for';

let postgres: PrivateService;
let app: TestApp;

async function health(): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`${app.baseUrl}/healthz/details`);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  app = await startTestApp({
    ROLES: 'web,worker',
    DATABASE_URL: postgres.url,
    DATABASE_HEALTH_PROBE_MS: '200',
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await postgres?.destroy();
});

describe('health of PostgreSQL', () => {
  it('reports PostgreSQL for the web and the worker role', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.components).toMatchObject({ 'web.postgres': true, 'worker.postgres': true });
  });

  it('turns down (503) while PostgreSQL is stopped, and ok once it is back', async () => {
    await postgres.stop();
    const down = await waitFor(
      async () => {
        const h = await health();
        return h.status === 503 ? h : undefined;
      },
      { what: '/healthz to turn down', timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(down.body.status).toBe('down');
    expect(down.body.components).toMatchObject({ 'web.postgres': false, 'worker.postgres': false });

    await postgres.start();
    const up = await waitFor(
      async () => {
        const h = await health();
        return h.status === 200 ? h : undefined;
      },
      { what: '/healthz to recover', timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(up.body.status).toBe('ok');
  }, 90_000);
});
