/** Stored guard paths for history replay, straight from guard_positions. */
import type pg from 'pg';
import type { SessionUser } from '../../contract/users';
import { ValidationError } from '../errors';
import type { GuardPathDto } from '../../contract/guards';
import type { EpochMs } from '../../contract/time';

/** A replay covers at most a day: longer ranges belong in a report, not on a map. */
export const MAX_REPLAY_RANGE_MS = 24 * 3600_000;

export interface PathQuery {
  guardIds: string[];
  /** Only fixes taken while the guard belonged to one of these sites; 'all' for every fix. */
  siteIds: string[] | 'all';
  from: EpochMs;
  to: EpochMs;
  /** Per guard; longer paths are thinned evenly (a replay needs the shape, not every fix). */
  maxPoints?: number;
}

interface PathRow {
  guard_id: string;
  name: string;
  t: string;
  lat: number;
  lon: number;
}

/**
 * Paths of guards ($1) between $2 and $3, at most $4 points each, only fixes taken
 * for one of the sites $5 (NULL: every site). The fix_at range
 * lets PostgreSQL prune guard_positions to the day partitions it overlaps; numbering
 * each guard's fixes and keeping every n-th one (plus the last) uses the
 * (guard_id, fix_at) index and bounds the answer however long the range is.
 */
export const GUARD_PATHS_SQL = `WITH fixes AS (
   SELECT p.guard_id, p.fix_at, p.position,
          row_number() OVER w AS n, count(*) OVER (PARTITION BY p.guard_id) AS total
   FROM guard_positions p
   WHERE p.guard_id = ANY($1::text[]) AND p.fix_at BETWEEN $2 AND $3
     AND ($5::text[] IS NULL OR p.site_id = ANY($5::text[]))
   WINDOW w AS (PARTITION BY p.guard_id ORDER BY p.fix_at)
 )
 SELECT f.guard_id, g.name, (extract(epoch FROM f.fix_at) * 1000)::bigint AS t,
        ST_Y(f.position::geometry) AS lat, ST_X(f.position::geometry) AS lon
 FROM fixes f JOIN guards g ON g.id = f.guard_id
 WHERE f.n = f.total OR (f.n - 1) % GREATEST(1, ceil(f.total::numeric / $4)::int) = 0
 ORDER BY f.guard_id, f.fix_at`;

/** The paths of the given guards between from and to, oldest point first. */
export async function listGuardPaths(pool: pg.Pool, query: PathQuery): Promise<GuardPathDto[]> {
  const maxPoints = query.maxPoints ?? 5000;
  const { rows } = await pool.query<PathRow>(GUARD_PATHS_SQL, [
    query.guardIds,
    // The SQL edge of times (server/db/epoch-ms.ts): a Date is a timestamptz parameter.
    new Date(query.from),
    new Date(query.to),
    maxPoints,
    query.siteIds === 'all' ? null : query.siteIds,
  ]);
  const paths = new Map<string, GuardPathDto>();
  for (const row of rows) {
    let path = paths.get(row.guard_id);
    if (!path) {
      path = { guardId: row.guard_id, name: row.name, points: [] };
      paths.set(row.guard_id, path);
    }
    path.points.push([Number(row.t), row.lat, row.lon]);
  }
  return query.guardIds.flatMap((id) => paths.get(id) ?? []);
}

/**
 * The replay use case: the paths the user may see (each fix only if the user may
 * see the site the guard belonged to when it was taken) over a range that runs
 * forwards and spans at most a day.
 */
export function replayGuardPaths(
  pool: pg.Pool,
  user: Pick<SessionUser, 'siteIds'>,
  query: { guardIds: string[]; from: EpochMs; to: EpochMs },
): Promise<GuardPathDto[]> {
  const span = query.to - query.from;
  if (span <= 0 || span > MAX_REPLAY_RANGE_MS) {
    throw new ValidationError('the range must run forwards and span at most 24 hours');
  }
  return listGuardPaths(pool, { ...query, siteIds: user.siteIds });
}
