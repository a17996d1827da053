/** Storage of GPS fixes in PostGIS: idempotent, ordered by fix time, unknown guards registered. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeGuardFixes, type GuardFix } from '../../server/guards/fixes';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
const siteId = uniqueId('site');
const guardId = uniqueId('guard');
let pool: pg.Pool;
const rules = { confirmFixes: 2, minMarginM: 10 };

const fix = (overrides: Partial<GuardFix>): GuardFix => ({
  messageKey: uniqueId('key'),
  guardId,
  lat: 51.2205,
  lon: 4.4025,
  fixAt: Date.parse('2026-11-28T10:00:00Z'),
  accuracyM: 5,
  speedMps: null,
  headingDeg: null,
  receivedAt: Date.now(),
  enqueuedAt: null,
  ...overrides,
});

async function latestOf(id: string) {
  const { rows } = await pool.query(
    `SELECT ST_Y(last_position::geometry) AS lat, last_fix_at, site_id, name FROM guards WHERE id = $1`,
    [id],
  );
  return rows[0] as
    { lat: number; last_fix_at: Date; site_id: string | null; name: string } | undefined;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 3 });
  await createSiteWithGuard(pool, { siteId, guardId });
});

afterAll(async () => {
  await pool.query(`DELETE FROM alerts WHERE site_id = $1`, [siteId]);
  await removeSite(pool, siteId);
  await pool.end();
});

describe('storeGuardFixes', () => {
  it('stores a redelivered fix once and reports it as a duplicate', async () => {
    const first = fix({});
    expect(await storeGuardFixes(pool, [first], rules)).toMatchObject([{ status: 'stored' }]);
    expect(await storeGuardFixes(pool, [{ ...first }], rules)).toEqual([
      { status: 'duplicate', latest: null, alerts: [] },
    ]);
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM guard_positions WHERE message_key = $1`,
      [first.messageKey],
    );
    expect(rows[0].n).toBe(1);
  });

  it('stores a key repeated inside one batch once', async () => {
    const twice = fix({ fixAt: Date.parse('2026-11-28T10:00:30Z') });
    const results = await storeGuardFixes(pool, [twice, { ...twice }], rules);
    expect(results.map((r) => r.status)).toEqual(['stored', 'duplicate']);
  });

  it('moves the latest position forward only, so a late older fix does not move the marker back', async () => {
    // Milliseconds survive the SQL edge both ways (epoch ms -> timestamptz -> epoch ms).
    const newer = fix({ lat: 51.221, fixAt: Date.parse('2026-11-28T10:01:00.123Z') });
    const older = fix({ lat: 51.2201, fixAt: Date.parse('2026-11-28T10:00:50Z') });
    const [stored] = await storeGuardFixes(pool, [newer], rules);
    expect(stored).toMatchObject({
      status: 'stored',
      latest: { lat: 51.221, siteId, fixAt: newer.fixAt },
    });
    expect((await latestOf(guardId))?.last_fix_at.getTime()).toBe(newer.fixAt);
    const [late] = await storeGuardFixes(pool, [older], rules);
    expect(late).toEqual({ status: 'stored', latest: null, alerts: [] });
    expect((await latestOf(guardId))?.lat).toBe(51.221);
  });

  it('takes the newest fix of a batch as the latest position, whatever the order in the batch', async () => {
    const results = await storeGuardFixes(
      pool,
      [
        fix({ lat: 51.2222, fixAt: Date.parse('2026-11-28T10:03:00Z') }),
        fix({ lat: 51.2211, fixAt: Date.parse('2026-11-28T10:02:00Z') }),
      ],
      rules,
    );
    expect(results.map((r) => r.latest?.lat ?? null)).toEqual([51.2222, null]);
    expect((await latestOf(guardId))?.lat).toBe(51.2222);
  });

  it('stores concurrent batches of the same guards: each fix once, the newest last, no deadlock', async () => {
    const concurrent = new pg.Pool({ connectionString: urls.databaseUrl, max: 9 });
    try {
      const base = Date.parse('2026-11-28T11:00:00Z');
      const guards = [guardId, ...Array.from({ length: 4 }, () => uniqueId('crowd'))];
      // Batch i holds one fix per guard, i seconds after base; they run at once, scrambled.
      const batches = [5, 2, 7, 0, 3, 6, 1, 4].map((i) =>
        guards.map((id) => fix({ guardId: id, fixAt: base + i * 1000, lat: 51.2205 + i * 1e-5 })),
      );
      // And a redelivery of the newest batch, racing its original.
      const redelivered = batches[2]!.map((f) => ({ ...f }));
      const results = await Promise.all(
        [...batches, redelivered].map((batch) => storeGuardFixes(concurrent, batch, rules)),
      );
      const statuses = results.flat().map((r) => r.status);
      expect(statuses.filter((s) => s === 'stored')).toHaveLength(8 * guards.length);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(guards.length);
      for (const id of guards) {
        const latest = await latestOf(id);
        expect(latest?.last_fix_at.getTime(), id).toBe(base + 7000);
        expect(latest?.lat, id).toBeCloseTo(51.2205 + 7e-5, 9);
      }
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM guard_positions
         WHERE guard_id = ANY($1::text[]) AND fix_at BETWEEN $2 AND $3`,
        [guards, new Date(base), new Date(base + 7000)],
      );
      expect(rows[0].n).toBe(8 * guards.length);
    } finally {
      await concurrent.end();
    }
  });

  it('registers a guard never seen before as unassigned', async () => {
    const stranger = uniqueId('stranger');
    const [result] = await storeGuardFixes(pool, [fix({ guardId: stranger })], rules);
    expect(result).toMatchObject({ status: 'stored', latest: { guardId: stranger, siteId: null } });
    expect(await latestOf(stranger)).toMatchObject({ site_id: null, name: stranger });
    await pool.query(`DELETE FROM guards WHERE id = $1`, [stranger]);
  });

  it('raises one geofence exit for a guard who walks out, not one per fix, and one enter on return', async () => {
    const walker = uniqueId('walker');
    await pool.query(
      `INSERT INTO guards (id, name, site_id, updated_at) VALUES ($1, $1, $2, now())`,
      [walker, siteId],
    );
    let t = Date.parse('2026-11-28T11:00:00Z');
    const at = (lat: number) => fix({ guardId: walker, lat, accuracyM: 5, fixAt: (t += 1000) });
    const inside = 51.2205; // the site's centre; its edge is 0.002 degrees (~220 m) north
    const outside = 51.2245; // ~220 m beyond the edge
    const nearEdge = 51.22068; // ~8 m inside the edge: too close to count either way

    const results = [];
    for (const lat of [
      inside,
      inside,
      nearEdge,
      outside,
      inside,
      outside,
      outside,
      outside,
      outside,
    ]) {
      results.push(...(await storeGuardFixes(pool, [at(lat)], rules)));
    }
    const raised = results.flatMap((r) => r.alerts);
    expect(raised.map((a) => a.type)).toEqual(['geofence_exit']);
    expect(raised[0]).toMatchObject({ guardId: walker, siteId, severity: 'high', status: 'open' });

    // Back inside: a batch of two fixes, applied in fix-time order, raises one enter.
    const back = await storeGuardFixes(pool, [at(inside), at(inside)], rules);
    expect(back.flatMap((r) => r.alerts).map((a) => a.type)).toEqual(['geofence_enter']);

    const { rows } = await pool.query(
      `SELECT type FROM alerts WHERE guard_id = $1 ORDER BY raised_at`,
      [walker],
    );
    expect(rows.map((r: { type: string }) => r.type)).toEqual(['geofence_exit', 'geofence_enter']);
    await pool.query(`DELETE FROM alerts WHERE guard_id = $1`, [walker]);
  });
});
