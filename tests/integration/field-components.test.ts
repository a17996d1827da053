/**
 * Field components as the charts tab reads them, through the real handler and
 * PostgreSQL: each one's site is its device's, the history comes newest first,
 * the usual interval is the median gap of its reports (the default until there
 * are two), and the list is scoped to the caller's sites (no site: admins).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystemHealthHandler } from '../../server/handlers/system-health';
import { listFieldComponents } from '../../server/health/field-components';
import { CHANNEL_EVENTS } from '../../server/realtime/channel-events';
import { COMPONENT_DEFAULT_INTERVAL_MS } from '../../contract/thresholds';
import type { FieldComponentDto } from '../../contract/health';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { requireServiceUrls, uniqueId } from '../helpers/services';

describe('field components', () => {
  const { databaseUrl } = requireServiceUrls();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const handle = createSystemHealthHandler({ pool });
  const siteId = uniqueId('fc-site');
  const gateway = uniqueId('fc-gw');
  const orphan = uniqueId('fc-orphan');
  const start = Date.parse('2026-12-01T10:00:00Z');

  const report = (component: string, atMs: number, status: 'ok' | 'down' = 'ok') =>
    handle({
      messageKey: `${component}-${atMs}`,
      component,
      status,
      detail: status === 'down' ? 'uplink lost' : null,
      metrics: { rssi: -60 },
      reportedAt: atMs,
      receivedAt: atMs,
    });
  const find = (list: FieldComponentDto[], id: string) => list.find((c) => c.component === id);

  beforeAll(async () => {
    await createSiteWithGuard(pool, { siteId, guardId: uniqueId('fc-guard') });
    await pool.query(`INSERT INTO devices (id, site_id, updated_at) VALUES ($1, $2, now())`, [
      gateway,
      siteId,
    ]);
  });

  afterAll(async () => {
    for (const id of [gateway, orphan]) {
      await pool.query(`DELETE FROM system_health_reports WHERE component = $1`, [id]);
      await pool.query(`DELETE FROM component_health WHERE component = $1`, [id]);
      await pool.query(`DELETE FROM devices WHERE id = $1`, [id]);
    }
    await removeSite(pool, siteId);
    await pool.end();
  });

  it("sends the live event to the component's site", async () => {
    const result = await report(gateway, start);
    expect(result.events).toEqual([
      {
        type: CHANNEL_EVENTS.componentHealth,
        payload: expect.objectContaining({ component: gateway, siteId, status: 'ok' }),
      },
    ]);
    const single = find(await listFieldComponents(pool, [siteId]), gateway);
    expect(single?.expectedIntervalMs).toBe(COMPONENT_DEFAULT_INTERVAL_MS);
  });

  it('learns the usual interval and keeps the history newest first', async () => {
    // Gaps 15 s, 15 s, 15 s, then 45 s: the median is 15 s.
    for (const s of [15, 30, 45]) await report(gateway, start + s * 1000);
    await report(gateway, start + 90_000, 'down');
    const listed = find(await listFieldComponents(pool, [siteId]), gateway)!;
    expect(listed).toMatchObject({
      siteId,
      status: 'down',
      detail: 'uplink lost',
      metrics: { rssi: -60 },
      expectedIntervalMs: 15_000,
    });
    expect(listed.history.map((h) => h.status)).toEqual(['down', 'ok', 'ok', 'ok', 'ok']);
    expect(listed.history[0]!.reportedAt).toBe(start + 90_000);
  });

  it("lists a component without a site to admins only, and none of another site's", async () => {
    await report(orphan, start);
    expect(find(await listFieldComponents(pool, 'all'), orphan)).toMatchObject({ siteId: null });
    expect(find(await listFieldComponents(pool, [siteId]), orphan)).toBeUndefined();
    expect(find(await listFieldComponents(pool, [uniqueId('other')]), gateway)).toBeUndefined();
  });
});
