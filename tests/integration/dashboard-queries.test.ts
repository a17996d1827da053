/**
 * The dashboard's read queries against the real PostGIS: replay paths (thinned,
 * ordered, per guard), the guard DTO with device telemetry, and the alert search
 * with site scoping.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAlerts } from '../../server/alerts/alert-search';
import { ensureDayPartitions } from '../../server/db/partitions';
import { listGuardPaths } from '../../server/guards/history';
import { listGuards } from '../../server/guards/queries';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { requireServiceUrls, uniqueId } from '../helpers/services';

describe('dashboard queries', () => {
  const { databaseUrl } = requireServiceUrls();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const siteId = uniqueId('dash-site');
  const guardId = uniqueId('dash-guard');
  const deviceId = uniqueId('dash-device');
  const start = Date.parse('2026-11-01T10:00:00Z');

  beforeAll(async () => {
    await createSiteWithGuard(pool, { siteId, guardId });
    // Written by hand, not through the store that creates a missing day partition.
    await ensureDayPartitions(pool, 'guard_positions', [start]);
    // 100 fixes one second apart, walking east.
    await pool.query(
      `INSERT INTO guard_positions (guard_id, position, fix_at, accuracy_m, received_at, message_key)
       SELECT $1, ST_SetSRID(ST_MakePoint(4.4 + i * 0.00001, 51.22), 4326)::geography,
              to_timestamp(($2::bigint + i * 1000) / 1000.0), 5, now(), $1 || '-' || i
       FROM generate_series(0, 99) AS i`,
      [guardId, start],
    );
    await pool.query(
      `INSERT INTO devices (id, guard_id, site_id, battery, signal_dbm, last_seen_at, updated_at)
       VALUES ($1, $2, $3, 57, -71, now(), now())`,
      [deviceId, guardId, siteId],
    );
    await pool.query(
      `INSERT INTO alerts (id, type, severity, site_id, guard_id, raised_at, message_key)
       VALUES (gen_random_uuid(), 'sos', 'critical', $1, $2, now(), $3)`,
      [siteId, guardId, uniqueId('dash-alert')],
    );
  });

  afterAll(async () => {
    await pool.query('DELETE FROM alerts WHERE site_id = $1', [siteId]);
    await pool.query('DELETE FROM devices WHERE id = $1', [deviceId]);
    await pool.query('DELETE FROM guard_positions WHERE guard_id = $1', [guardId]);
    await removeSite(pool, siteId);
    await pool.end();
  });

  it('returns a guard path in time order, within the range, thinned to the limit', async () => {
    const [path] = await listGuardPaths(pool, {
      guardIds: [guardId],
      siteIds: 'all',
      from: start + 10_000,
      to: start + 59_000,
    });
    expect(path?.points).toHaveLength(50);
    expect(path?.points[0]?.[0]).toBe(start + 10_000);
    const lons = path!.points.map((p) => p[2]);
    expect([...lons].sort((a, b) => a - b)).toEqual(lons);

    const [thin] = await listGuardPaths(pool, {
      guardIds: [guardId],
      siteIds: 'all',
      from: start,
      to: start + 100_000,
      maxPoints: 10,
    });
    expect(thin!.points.length).toBeLessThanOrEqual(11);
    // The last fix is always kept: the replay ends where the guard really was.
    expect(thin!.points.at(-1)?.[0]).toBe(start + 99_000);
  });

  it('replays only the fixes taken while the guard was on a site the user may see', async () => {
    const t = start + 500_000;
    await pool.query(
      `INSERT INTO guard_positions (guard_id, site_id, position, fix_at, accuracy_m, received_at, message_key)
       SELECT $1, s, ST_SetSRID(ST_MakePoint(4.40, 51.22), 4326)::geography,
              to_timestamp(($2::bigint + i * 1000) / 1000.0), 5, now(), $3 || i
       FROM unnest(ARRAY[$4, 'site-elsewhere']) WITH ORDINALITY AS x(s, i)`,
      [guardId, t, uniqueId('site-scope'), siteId],
    );
    const range = { guardIds: [guardId], from: t, to: t + 10_000 };
    const [mine] = await listGuardPaths(pool, { ...range, siteIds: [siteId] });
    expect(mine?.points.map((p) => p[0])).toEqual([t + 1000]);
    expect(await listGuardPaths(pool, { ...range, siteIds: ['site-other'] })).toEqual([]);
    const [all] = await listGuardPaths(pool, { ...range, siteIds: 'all' });
    expect(all?.points).toHaveLength(2);
  });

  it('gives the guard DTO its device battery, signal and last sign of life', async () => {
    const guard = (await listGuards(pool)).find((g) => g.id === guardId);
    expect(guard).toMatchObject({ battery: 57, signalDbm: -71, siteId });
    expect(guard?.lastSeenAt).not.toBeNull();
  });

  it('searches alerts by severity and never outside the caller’s sites', async () => {
    const mine = await searchAlerts(pool, {
      severities: ['critical'],
      siteIds: [siteId],
      visibleSiteIds: [siteId],
      limit: 10,
    });
    expect(mine.alerts.map((a) => a.guardId)).toEqual([guardId]);
    const elsewhere = await searchAlerts(pool, {
      siteIds: [siteId],
      visibleSiteIds: ['some-other-site'],
      limit: 10,
    });
    expect(elsewhere.alerts).toEqual([]);
    const low = await searchAlerts(pool, {
      severities: ['low'],
      siteIds: [siteId],
      visibleSiteIds: 'all',
      limit: 10,
    });
    expect(low.alerts).toEqual([]);
  });
});
