/**
 * /healthz while the command breaker is open: a web + worker node whose only
 * trouble is an unreachable broker for commands stays in rotation (200), says
 * "degraded" with the breaker's state, and /metrics carries the gauge. The
 * broker URL points at a port nothing listens on, so nothing shared is touched.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as sendCommandRoute } from '../../app/api/commands/route';
import type { HealthReport } from '../../server/http/health';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { freePort } from '../helpers/ports';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const ORIGIN = 'http://watchfloor.test';
const deviceId = uniqueId('dev').replace(/-/g, '_');

let app: TestApp;
let pool: pg.Pool;
let admin: TestUser;

async function health(): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`${app.baseUrl}/healthz/details`);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await pool.query(`INSERT INTO devices (id, updated_at) VALUES ($1, now())`, [deviceId]);
  app = await startTestApp({
    ROLES: 'web,worker',
    MQTT_URL: `mqtt://127.0.0.1:${await freePort()}`,
    COMMAND_BREAKER_FAILURES: '2',
    COMMAND_BREAKER_HALF_OPEN_MS: '60000',
    COMMAND_BREAKER_MAX_HALF_OPEN_MS: '60000',
    COMMAND_RETRY_DELAY_MS: '100',
  });
  admin = await createTestUser(pool, app.config, { role: 'admin' });
});

afterAll(async () => {
  await app?.stop();
  await pool.query(`DELETE FROM device_commands WHERE target_id = $1`, [deviceId]);
  await pool.query(`DELETE FROM devices WHERE id = $1`, [deviceId]);
  if (admin) await removeTestUsers(pool, [admin]);
  await pool.end();
});

describe('health with the command breaker open', () => {
  it('is ok while the breaker is closed', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.advisories['worker.commandBreaker']).toEqual({ state: 'closed', degraded: false });
  });

  it('answers 200 "degraded" with the breaker state, and /metrics has the gauge', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await sendCommandRoute(
        new Request(`${ORIGIN}/api/commands`, {
          method: 'POST',
          headers: {
            host: 'watchfloor.test',
            origin: ORIGIN,
            cookie: admin.cookie,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ type: 'locate', target: { kind: 'device', id: deviceId } }),
        }),
      );
      expect(response.status).toBe(202);
    }
    const open = await waitFor(
      async () => {
        const report = await health();
        return report.body.status === 'degraded' ? report : undefined;
      },
      { what: 'health to report the open breaker' },
    );
    expect(open.status).toBe(200);
    expect(open.body.ok).toBe(true);
    expect(open.body.advisories['worker.commandBreaker']).toEqual({
      state: 'open',
      degraded: true,
    });
    expect(Object.values(open.body.components).every(Boolean)).toBe(true);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^watchfloor_command_breaker_state 1$/m);
  });
});
