/**
 * The alert history behind the feed's "Resolved" and "All" filters: GET
 * /api/alerts through the real route handler against the real PostgreSQL,
 * with site scoping, cursor pages that stay put while alerts keep arriving,
 * and clear 400s for bad queries.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listAlerts } from '../../app/api/alerts/route';
import type { AlertDto } from '../../contract/alerts';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';

const urls = requireServiceUrls();
const harbour = uniqueId('site-harbour');
const park = uniqueId('site-park');
const base = Date.parse('2026-10-01T08:00:00Z');

let app: TestApp;
let pool: pg.Pool;
let admin: TestUser;
let viewer: TestUser;
let harbourSupervisor: TestUser;

interface Page {
  alerts: AlertDto[];
  nextCursor: string | null;
}

async function get(query: string, user: TestUser | null): Promise<Response> {
  const headers = new Headers({ host: 'watchfloor.test' });
  if (user) headers.set('cookie', user.cookie);
  return listAlerts(new Request(`http://watchfloor.test/api/alerts?${query}`, { headers }));
}

async function page(query: string, user: TestUser): Promise<Page> {
  const response = await get(query, user);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

/** A resolved alert raised `minutes` after base, resolved by the admin with a reason. */
async function insertResolved(siteId: string, minutes: number, reason: string): Promise<string> {
  const raisedAt = new Date(base + minutes * 60_000);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO alerts (id, type, severity, message, site_id, raised_at, message_key, status,
                         acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolution)
     VALUES (gen_random_uuid(), 'intrusion', 'high', 'door forced', $1, $2::timestamptz, $3, 'resolved',
             $2::timestamptz + interval '1 minute', $4, $2::timestamptz + interval '2 minutes', $4, $5)
     RETURNING id`,
    [siteId, raisedAt, uniqueId('history'), admin.id, reason],
  );
  return rows[0]!.id;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId: harbour, guardId: uniqueId('gh') });
  await createSiteWithGuard(
    pool,
    { siteId: park, guardId: uniqueId('gp') },
    { lat: 51.3, lon: 4.5 },
  );
  app = await startTestApp();
  admin = await createTestUser(pool, app.config, { role: 'admin' });
  viewer = await createTestUser(pool, app.config, { role: 'viewer', siteIds: [harbour] });
  harbourSupervisor = await createTestUser(pool, app.config, {
    role: 'supervisor',
    siteIds: [harbour],
  });
});

afterAll(async () => {
  await app?.stop();
  await pool?.query(`DELETE FROM alerts WHERE site_id = ANY($1)`, [[harbour, park]]);
  await removeTestUsers(pool, [admin, viewer, harbourSupervisor]);
  await removeSite(pool, harbour);
  await removeSite(pool, park);
  await pool?.end();
});

describe('alert history', () => {
  it('gives resolved alerts with who acknowledged and resolved them, when, and why', async () => {
    const id = await insertResolved(harbour, 0, 'false alarm: <b>wind</b>');
    const { alerts } = await page(`status=resolved&site=${harbour}`, admin);
    const alert = alerts.find((a) => a.id === id);
    expect(alert).toMatchObject({
      status: 'resolved',
      resolution: 'false alarm: <b>wind</b>',
      acknowledgedBy: { id: admin.id, name: 'Test admin' },
      resolvedBy: { id: admin.id, name: 'Test admin' },
      acknowledgedAt: base + 60_000,
      resolvedAt: base + 120_000,
    });
  });

  it('never gives a harbour supervisor (or viewer) a park alert, whatever they ask for', async () => {
    const parkId = await insertResolved(park, 1, 'park only');
    const harbourId = await insertResolved(harbour, 1, 'harbour only');
    for (const user of [harbourSupervisor, viewer]) {
      for (const query of ['status=resolved', `site=${park}`, `site=${harbour},${park}`, '']) {
        const { alerts } = await page(`${query}&limit=500`, user);
        expect(alerts.map((a) => a.siteId).filter((s) => s !== harbour)).toEqual([]);
        expect(alerts.some((a) => a.id === parkId)).toBe(false);
        if (!query.includes(`site=${park}`))
          expect(alerts.some((a) => a.id === harbourId)).toBe(true);
      }
    }
    // An admin sees both sites.
    const { alerts } = await page(`site=${harbour},${park}&limit=500`, admin);
    expect(alerts.some((a) => a.id === parkId) && alerts.some((a) => a.id === harbourId)).toBe(
      true,
    );
  });

  it('pages newest first without repeats or gaps while new alerts keep arriving', async () => {
    const site = uniqueId('site-paging');
    await createSiteWithGuard(pool, { siteId: site, guardId: uniqueId('gq') }, { lat: 52, lon: 5 });
    try {
      // Two alerts at the very same instant: the id breaks the tie.
      const ids = [];
      for (const minutes of [10, 20, 20, 30, 40, 50, 60]) {
        ids.push(await insertResolved(site, minutes, `r${minutes}`));
      }
      const expected = (await page(`site=${site}&limit=100`, admin)).alerts.map((a) => a.id);
      expect(new Set(expected)).toEqual(new Set(ids));

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `site=${site}&status=resolved&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const next: Page = await page(query, admin);
        seen.push(...next.alerts.map((a) => a.id));
        cursor = next.nextCursor;
        pages += 1;
        // Newer alerts land on top while the supervisor is reading older pages.
        await insertResolved(site, 100 + pages, `newer ${pages}`);
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(expected);
    } finally {
      await pool.query(`DELETE FROM alerts WHERE site_id = $1`, [site]);
      await removeSite(pool, site);
    }
  });

  it('filters by time range and severity', async () => {
    const id = await insertResolved(harbour, 500, 'in range');
    const from = base + 499 * 60_000;
    const to = base + 501 * 60_000;
    const inRange = await page(`site=${harbour}&from=${from}&to=${to}`, admin);
    expect(inRange.alerts.map((a) => a.id)).toEqual([id]);
    const critical = await page(`site=${harbour}&severity=critical&from=${from}`, admin);
    expect(critical.alerts).toEqual([]);
  });

  it('still reads a range in ISO 8601 (links and scripts from before times were epoch ms)', async () => {
    const id = await insertResolved(harbour, 600, 'in an ISO range');
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    const inRange = await page(
      `site=${harbour}&from=${iso(base + 599 * 60_000)}&to=${iso(base + 601 * 60_000)}`,
      admin,
    );
    expect(inRange.alerts.map((a) => a.id)).toEqual([id]);
  });

  it.each([
    ['status=closed', 'INVALID_QUERY', 'status'],
    ['severity=urgent', 'INVALID_QUERY', 'severity'],
    ['site=../etc', 'INVALID_QUERY', 'site'],
    ['limit=0', 'INVALID_QUERY', 'limit'],
    ['from=yesterday', 'INVALID_QUERY', 'from'],
    ['from=-5', 'INVALID_QUERY', 'epoch milliseconds'],
    [`from=${base + 1}&to=${base}`, 'INVALID_QUERY', 'from must be before to'],
    ['cursor=bm90LWEtY3Vyc29y', 'INVALID_CURSOR', 'cursor'],
  ])('answers %s with a 400 that names the problem', async (query, code, mention) => {
    const response = await get(query, viewer);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toContain(mention);
  });

  it('answers 401 without a session', async () => {
    expect((await get('status=resolved', null)).status).toBe(401);
  });
});
