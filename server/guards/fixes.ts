/**
 * Storage of guard GPS fixes: one transaction per batch, idempotent by message
 * key. A guard's latest position only moves forward in fix time, and the
 * geofence is checked server-side in PostGIS with hysteresis, over the new
 * fixes in fix-time order; a late fix older than the latest is stored for
 * history but changes neither the marker nor the geofence state.
 */
import type pg from 'pg';
import { insertAlerts, type NewAlert } from '../alerts/raise';
import { groupBy, newerThan, ownersOfInsertedKeys } from '../db/batch-results';
import { withDayPartitions } from '../db/partitions';
import { withTransaction } from '../db/transaction';
import { msOf, timestamptzOf } from '../db/epoch-ms';
import { applyGeofenceFixes, type GeofenceSide } from '../geo/geofence-hysteresis';
import type { JobDataOf } from '../../contract/job-data';
import type { AlertDto } from '../../contract/alerts';
import type { GuardPositionDto } from '../../contract/guards';
import type { EpochMs } from '../../contract/time';

/** A fix to store: its job's data (times in epoch ms), and when the job was enqueued. */
export type GuardFix = JobDataOf<'process_guard_gps'> & {
  /** Null when stored outside a job. */
  enqueuedAt: EpochMs | null;
};

/** `latest`: the guard's new position, in the shape screens get it (guard:positions). */
export type StoredFix =
  | { status: 'stored'; latest: GuardPositionDto | null; alerts: AlertDto[] }
  | { status: 'duplicate'; latest: null; alerts: [] };

export interface GeofenceRules {
  /** Clear fixes in a row on the other side before the state changes. */
  confirmFixes: number;
  /** Fixes closer to the boundary than max(accuracy, this) count for neither side. */
  minMarginM: number;
}

interface GuardStateRow {
  id: string;
  site_id: string | null;
  last_fix_at: EpochMs | null;
  geofence_state: GeofenceSide | null;
  geofence_strikes: number;
}

// Guards never seen before are registered as unassigned (no site) rather than
// refused: a new device in the field must show up for a supervisor to assign.
// Committed on its own before the batch's transaction, in id order: inserting
// them inside it, before locking in id order, let two batches wait on each
// other (deadlocks seen in the benchmark).
const REGISTER_UNKNOWN_GUARDS = `
  INSERT INTO guards (id, name, updated_at)
  SELECT g, g, now() FROM (SELECT DISTINCT g FROM unnest($1::text[]) AS g ORDER BY g) AS ordered
  ON CONFLICT (id) DO NOTHING`;

// Row locks in id order: batches touching the same guards queue up instead of
// deadlocking, and the state read below cannot change under us.
const LOCK_GUARDS = `
  SELECT id, site_id, ${msOf('last_fix_at')} AS last_fix_at, geofence_state, geofence_strikes
  FROM guards WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`;

const INSERT_FIXES = `
  WITH input AS (
    SELECT message_key, guard_id, lat, lon, ${timestamptzOf('fix_ms')} AS fix_at, accuracy_m, speed_mps,
           heading_deg, ${timestamptzOf('received_ms')} AS received_at,
           ${timestamptzOf('enqueued_ms')} AS enqueued_at
    FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[],
                $6::float8[], $7::float8[], $8::float8[], $9::float8[], $11::float8[])
      AS t(message_key, guard_id, lat, lon, fix_ms, accuracy_m, speed_mps, heading_deg, received_ms, enqueued_ms)
  ),
  inserted AS (
    INSERT INTO guard_positions
      (message_key, guard_id, site_id, position, fix_at, accuracy_m, speed_mps, heading_deg, received_at, enqueued_at)
    -- The guard's site now (its row is locked): replay scopes each fix by the site it was taken for.
    SELECT input.message_key, input.guard_id, g.site_id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography,
           fix_at, accuracy_m, speed_mps, heading_deg, received_at, enqueued_at
    FROM input LEFT JOIN guards g ON g.id = input.guard_id
    -- A redelivery carries the same fix time: it conflicts in the same day partition.
    ON CONFLICT (message_key, fix_at) DO NOTHING
    RETURNING message_key, guard_id, position, accuracy_m
  )
  SELECT i.message_key,
         CASE WHEN s.id IS NULL THEN NULL
              WHEN ST_Distance(ST_Boundary(s.geofence)::geography, i.position)
                   <= GREATEST(i.accuracy_m, $10::float8) THEN NULL
              WHEN ST_Covers(s.geofence, i.position::geometry) THEN 'inside'
              ELSE 'outside' END AS side
  FROM inserted i
  JOIN guards g ON g.id = i.guard_id
  LEFT JOIN sites s ON s.id = g.site_id`;

// Only guards whose newest fix moves forward get here (newerThan above).
const UPDATE_GUARDS = `
  UPDATE guards g
  SET last_position = ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)::geography,
      last_fix_at = ${timestamptzOf('u.fix_ms')},
      last_accuracy_m = u.accuracy_m,
      last_speed_mps = u.speed_mps,
      last_heading_deg = u.heading_deg,
      geofence_state = u.geofence_state::"GeofenceState",
      geofence_strikes = u.geofence_strikes,
      updated_at = now()
  FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[],
              $6::float8[], $7::float8[], $8::text[], $9::int[])
    AS u(id, lat, lon, fix_ms, accuracy_m, speed_mps, heading_deg, geofence_state, geofence_strikes)
  WHERE g.id = u.id`;

/** Stores a batch of fixes in one transaction; one result per fix, in order. */
export async function storeGuardFixes(
  pool: pg.Pool,
  fixes: GuardFix[],
  rules: GeofenceRules,
): Promise<StoredFix[]> {
  const guardIds = [...new Set(fixes.map((f) => f.guardId))];
  await pool.query(REGISTER_UNKNOWN_GUARDS, [guardIds]);
  const times = () => fixes.map((f) => f.fixAt);
  return withDayPartitions(pool, 'guard_positions', times, () =>
    storeInTransaction(pool, fixes, guardIds, rules),
  );
}

function storeInTransaction(
  pool: pg.Pool,
  fixes: GuardFix[],
  guardIds: string[],
  rules: GeofenceRules,
): Promise<StoredFix[]> {
  return withTransaction(pool, async (client) => {
    const { rows: guards } = await client.query<GuardStateRow>(LOCK_GUARDS, [guardIds]);
    const { rows: inserted } = await client.query<{
      message_key: string;
      side: GeofenceSide | null;
    }>(INSERT_FIXES, [
      fixes.map((f) => f.messageKey),
      fixes.map((f) => f.guardId),
      fixes.map((f) => f.lat),
      fixes.map((f) => f.lon),
      fixes.map((f) => f.fixAt),
      fixes.map((f) => f.accuracyM),
      fixes.map((f) => f.speedMps),
      fixes.map((f) => f.headingDeg),
      fixes.map((f) => f.receivedAt),
      rules.minMarginM,
      fixes.map((f) => f.enqueuedAt),
    ]);
    const sideByKey = new Map(inserted.map((r) => [r.message_key, r.side]));

    const owners = ownersOfInsertedKeys(fixes, new Set(sideByKey.keys()));

    const latestByKey = new Map<string, GuardPositionDto>();
    const alertsByKey = new Map<string, NewAlert[]>();
    const updates: GuardUpdate[] = [];
    const byGuard = groupBy(owners.values(), (f) => f.guardId);
    for (const guard of guards) {
      const mine = byGuard.get(guard.id) ?? [];
      const newer = newerThan(mine, (f) => f.fixAt, guard.last_fix_at);
      if (newer.length === 0) continue;
      const newest = newer[newer.length - 1]!;
      const { state, transitions } = applyGeofenceFixes(
        { side: guard.geofence_state, strikes: guard.geofence_strikes },
        newer,
        (f) => sideByKey.get(f.messageKey) ?? null,
        rules.confirmFixes,
      );
      updates.push({ fix: newest, side: state.side, strikes: state.strikes });
      latestByKey.set(newest.messageKey, positionOf(newest, guard.site_id));
      for (const t of transitions) {
        const alert: NewAlert = {
          type: t.kind === 'exit' ? 'geofence_exit' : 'geofence_enter',
          message: t.kind === 'exit' ? 'Left the site geofence' : 'Back inside the site geofence',
          siteId: guard.site_id,
          guardId: guard.id,
          deviceId: null,
          sensorId: null,
          location: { lat: t.fix.lat, lon: t.fix.lon },
          raisedAt: new Date(t.fix.fixAt),
          messageKey: `geofence_${t.kind}:${t.fix.messageKey}`,
        };
        alertsByKey.set(t.fix.messageKey, [...(alertsByKey.get(t.fix.messageKey) ?? []), alert]);
      }
    }
    if (updates.length > 0) await updateGuards(client, updates);
    const raised = await insertAlerts(client, [...alertsByKey.values()].flat());

    return fixes.map((fix): StoredFix => {
      if (owners.get(fix.messageKey) !== fix)
        return { status: 'duplicate', latest: null, alerts: [] };
      const alerts = (alertsByKey.get(fix.messageKey) ?? []).flatMap(
        (a) => raised.get(a.messageKey) ?? [],
      );
      return { status: 'stored', latest: latestByKey.get(fix.messageKey) ?? null, alerts };
    });
  });
}

interface GuardUpdate {
  fix: GuardFix;
  side: GeofenceSide | null;
  strikes: number;
}

async function updateGuards(client: pg.PoolClient, updates: GuardUpdate[]): Promise<void> {
  await client.query(UPDATE_GUARDS, [
    updates.map((u) => u.fix.guardId),
    updates.map((u) => u.fix.lat),
    updates.map((u) => u.fix.lon),
    updates.map((u) => u.fix.fixAt),
    updates.map((u) => u.fix.accuracyM),
    updates.map((u) => u.fix.speedMps),
    updates.map((u) => u.fix.headingDeg),
    updates.map((u) => u.side),
    updates.map((u) => u.strikes),
  ]);
}

/** The fix as screens get it: its own fields (no job bookkeeping) and the guard's site. */
function positionOf(fix: GuardFix, siteId: string | null): GuardPositionDto {
  const { guardId, lat, lon, fixAt, accuracyM, speedMps, headingDeg } = fix;
  return { guardId, siteId, lat, lon, fixAt, accuracyM, speedMps, headingDeg };
}
