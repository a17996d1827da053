/**
 * Replay reads only the day partitions its time range overlaps: EXPLAIN of the
 * replay query (the same SQL text listGuardPaths runs) over one hour names one
 * partition, or two when the hour spans midnight, out of many.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDayPartitions } from '../../server/db/partitions';
import { GUARD_PATHS_SQL } from '../../server/guards/history';
import { requireServiceUrls } from '../helpers/services';

const urls = requireServiceUrls();
const pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
pool.on('error', () => undefined);
const DAY = 86_400_000;
const middle = Date.parse('2026-11-20T00:00:00Z');

/** Every relation the plan reads, by name. */
function relationsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) relationsIn(n, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Relation Name' && typeof value === 'string') found.add(value);
      else relationsIn(value, found);
    }
  }
  return found;
}

async function partitionsRead(from: string, to: string): Promise<string[]> {
  const { rows } = await pool.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (FORMAT JSON) ${GUARD_PATHS_SQL}`,
    [['guard-a', 'guard-b'], new Date(from), new Date(to), 5000, ['site-a']],
  );
  return [...relationsIn(rows[0]!['QUERY PLAN'])].filter((r) => r.startsWith('guard_positions'));
}

beforeAll(async () => {
  // Ten days of partitions around the hours asked for.
  await ensureDayPartitions(
    pool,
    'guard_positions',
    Array.from({ length: 10 }, (_, i) => middle + (i - 5) * DAY),
  );
});

afterAll(async () => {
  await pool.end();
});

describe('replay partition pruning', () => {
  it('reads one partition for an hour inside a day', async () => {
    expect(await partitionsRead('2026-11-20T10:00:00Z', '2026-11-20T11:00:00Z')).toEqual([
      'guard_positions_p20261120',
    ]);
  });

  it('reads two partitions for an hour across midnight', async () => {
    expect((await partitionsRead('2026-11-19T23:30:00Z', '2026-11-20T00:30:00Z')).sort()).toEqual([
      'guard_positions_p20261119',
      'guard_positions_p20261120',
    ]);
  });

  it('reads every day of a longer range (so the check above can fail)', async () => {
    const read = await partitionsRead('2026-11-16T00:00:00Z', '2026-11-23T12:00:00Z');
    expect(read.length).toBeGreaterThanOrEqual(8);
  });
});
