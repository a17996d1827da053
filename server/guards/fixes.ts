/**
 * Storage of guard GPS fixes: one multi-row statement per batch, idempotent
 * by message key, and a guard's latest position only ever moves forward in
 * fix time (an out-of-order fix is stored but does not move the marker).
 */
import type pg from 'pg';

export interface GuardFix {
  messageKey: string;
  guardId: string;
  lat: number;
  lon: number;
  fixAt: Date;
  accuracyM: number;
  speedMps: number | null;
  headingDeg: number | null;
  receivedAt: Date;
}

export interface LatestPosition {
  guardId: string;
  siteId: string | null;
  lat: number;
  lon: number;
  fixAt: Date;
  accuracyM: number;
  speedMps: number | null;
  headingDeg: number | null;
}

export type StoredFix =
  { status: 'stored'; latest: LatestPosition | null } | { status: 'duplicate'; latest: null };

// Guards never seen before are registered as unassigned (no site) rather than
// refused: a new device in the field must show up for a supervisor to assign.
const REGISTER_UNKNOWN_GUARDS = `
  INSERT INTO guards (id, name, updated_at)
  SELECT DISTINCT g, g, now() FROM unnest($1::text[]) AS g
  ON CONFLICT (id) DO NOTHING`;

const INSERT_FIXES_AND_ADVANCE_LATEST = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::timestamptz[],
                         $6::float8[], $7::float8[], $8::float8[], $9::timestamptz[])
      AS t(message_key, guard_id, lat, lon, fix_at, accuracy_m, speed_mps, heading_deg, received_at)
  ),
  inserted AS (
    INSERT INTO guard_positions
      (message_key, guard_id, position, fix_at, accuracy_m, speed_mps, heading_deg, received_at)
    SELECT message_key, guard_id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography,
           fix_at, accuracy_m, speed_mps, heading_deg, received_at
    FROM input
    ON CONFLICT (message_key) DO NOTHING
    RETURNING message_key
  ),
  newest AS (
    SELECT DISTINCT ON (i.guard_id) i.*
    FROM input i JOIN inserted USING (message_key)
    ORDER BY i.guard_id, i.fix_at DESC
  ),
  advanced AS (
    UPDATE guards g
    SET last_position = ST_SetSRID(ST_MakePoint(n.lon, n.lat), 4326)::geography,
        last_fix_at = n.fix_at, last_accuracy_m = n.accuracy_m,
        last_speed_mps = n.speed_mps, last_heading_deg = n.heading_deg, updated_at = now()
    FROM newest n
    WHERE g.id = n.guard_id AND (g.last_fix_at IS NULL OR g.last_fix_at < n.fix_at)
    RETURNING n.message_key, g.site_id
  )
  SELECT ins.message_key, adv.site_id, adv.message_key IS NOT NULL AS advanced
  FROM inserted ins LEFT JOIN advanced adv USING (message_key)`;

interface InsertedRow {
  message_key: string;
  site_id: string | null;
  advanced: boolean;
}

/** Stores a batch of fixes in one transaction; one result per fix, in order. */
export async function storeGuardFixes(pool: pg.Pool, fixes: GuardFix[]): Promise<StoredFix[]> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query(REGISTER_UNKNOWN_GUARDS, [fixes.map((f) => f.guardId)]);
    const { rows } = await client.query<InsertedRow>(INSERT_FIXES_AND_ADVANCE_LATEST, [
      fixes.map((f) => f.messageKey),
      fixes.map((f) => f.guardId),
      fixes.map((f) => f.lat),
      fixes.map((f) => f.lon),
      fixes.map((f) => f.fixAt),
      fixes.map((f) => f.accuracyM),
      fixes.map((f) => f.speedMps),
      fixes.map((f) => f.headingDeg),
      fixes.map((f) => f.receivedAt),
    ]);
    await client.query('COMMIT');
    const byKey = new Map(rows.map((row) => [row.message_key, row]));
    // A key repeated inside one batch is stored once: the first occurrence owns it.
    const seen = new Set<string>();
    return fixes.map((fix): StoredFix => {
      const row = byKey.get(fix.messageKey);
      if (!row || seen.has(fix.messageKey)) return { status: 'duplicate', latest: null };
      seen.add(fix.messageKey);
      return {
        status: 'stored',
        latest: row.advanced ? { ...pickLatest(fix), siteId: row.site_id } : null,
      };
    });
  } catch (error) {
    // After a failure the connection may be dead (PostgreSQL restarting): discard it.
    broken = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(broken);
  }
}

function pickLatest(fix: GuardFix): Omit<LatestPosition, 'siteId'> {
  const { guardId, lat, lon, fixAt, accuracyM, speedMps, headingDeg } = fix;
  return { guardId, lat, lon, fixAt, accuracyM, speedMps, headingDeg };
}
