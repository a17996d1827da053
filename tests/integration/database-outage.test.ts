/**
 * A database outage during an alert action is a 503 DATABASE_UNAVAILABLE, never
 * a 404: the alert's lookup failing must not read as "no such alert". The app
 * reaches the real PostgreSQL through a TCP proxy that the test closes, so the
 * shared server is never stopped.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as acknowledge } from '../../app/api/alerts/[id]/acknowledge/route';
import { GET as escalation } from '../../app/api/alerts/[id]/escalation/route';
import { actOnAlert, findVisibleAlert } from '../../server/alerts/alert-actions';
import { AlertNotFoundError } from '../../server/alerts/lifecycle';
import type { SessionUser } from '../../contract/users';
import { isDatabaseUnavailable } from '../../server/db/unavailable';
import { createSiteWithGuard, insertOpenAlert, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { idParams, routeRequest } from '../helpers/route-request';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

const urls = requireServiceUrls();
const siteId = uniqueId('site-outage');
const guardId = uniqueId('g-outage');

let pool: pg.Pool;
/** Ours, through the proxy like the app's: the use case is called with it directly. */
let proxied: pg.Pool;
let proxy: TcpProxy;
let app: TestApp;
let admin: TestUser;
let alertId: string;

const statusOf = async (id: string) =>
  (await pool.query<{ status: string }>(`SELECT status FROM alerts WHERE id = $1`, [id])).rows[0]
    ?.status;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId, guardId });
  alertId = await insertOpenAlert(pool, siteId);
  proxy = await startTcpProxy(urls.databaseUrl);
  app = await startTestApp({ ROLES: 'web', DATABASE_URL: proxy.via(urls.databaseUrl) });
  proxied = new pg.Pool({ connectionString: proxy.via(urls.databaseUrl), max: 1 });
  proxied.on('error', () => undefined);
  admin = await createTestUser(pool, app.config, { role: 'admin' });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await proxied?.end();
  await pool?.query(`DELETE FROM alerts WHERE site_id = $1`, [siteId]);
  if (admin) await removeTestUsers(pool, [admin]);
  await removeSite(pool, siteId);
  await pool?.end();
});

describe('an alert action while PostgreSQL is unreachable', () => {
  it('finds the alert through the proxy while the database is up', async () => {
    const response = await escalation(
      routeRequest(`/api/alerts/${alertId}/escalation`, { cookie: admin.cookie }),
      idParams(alertId),
    );
    expect(response.status).toBe(200);
    // A malformed or unknown id is still a plain 404.
    const unknown = await escalation(
      routeRequest(`/api/alerts/not-a-uuid/escalation`, { cookie: admin.cookie }),
      idParams('not-a-uuid'),
    );
    expect(unknown.status).toBe(404);
  });

  it('answers 503 DATABASE_UNAVAILABLE and changes nothing', async () => {
    await proxy.close();
    const response = await acknowledge(
      routeRequest(`/api/alerts/${alertId}/acknowledge`, { method: 'POST', cookie: admin.cookie }),
      idParams(alertId),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE' } });
    expect(await statusOf(alertId)).toBe('open');
  });

  it('reports the outage from the use case itself, not "alert not found"', async () => {
    // Past authentication (the route's first database call): the alert lookup is what fails here.
    const user: SessionUser = {
      kind: 'user',
      id: admin.id,
      email: admin.email,
      name: 'Test admin',
      role: 'admin',
      siteIds: 'all',
    };
    const lookup = findVisibleAlert(proxied, user, alertId);
    await expect(lookup).rejects.not.toBeInstanceOf(AlertNotFoundError);
    await expect(lookup).rejects.toSatisfy(isDatabaseUnavailable);
    const action = actOnAlert(
      { pool: proxied, escalationQueue: { remove: async () => 0 }, publish: () => undefined },
      user,
      alertId,
      { kind: 'acknowledge' },
    );
    await expect(action).rejects.toSatisfy(isDatabaseUnavailable);
    expect(await statusOf(alertId)).toBe('open');
  });
});
