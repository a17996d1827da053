/** Read queries over guards. */
import type pg from 'pg';
import type { GuardDto } from '../realtime/events';

interface GuardRow {
  id: string;
  name: string;
  site_id: string | null;
  lat: number | null;
  lon: number | null;
  last_fix_at: Date | null;
  last_accuracy_m: number | null;
  last_speed_mps: number | null;
  last_heading_deg: number | null;
}

/** Every guard with the latest position it reported. */
export async function listGuards(pool: pg.Pool): Promise<GuardDto[]> {
  const { rows } = await pool.query<GuardRow>(
    `SELECT id, name, site_id, ST_Y(last_position::geometry) AS lat, ST_X(last_position::geometry) AS lon,
            last_fix_at, last_accuracy_m, last_speed_mps, last_heading_deg
     FROM guards ORDER BY name`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    siteId: row.site_id,
    position:
      row.lat === null || row.lon === null || row.last_fix_at === null
        ? null
        : {
            guardId: row.id,
            siteId: row.site_id,
            lat: row.lat,
            lon: row.lon,
            fixAt: row.last_fix_at.toISOString(),
            accuracyM: row.last_accuracy_m ?? 0,
            speedMps: row.last_speed_mps,
            headingDeg: row.last_heading_deg,
          },
  }));
}
