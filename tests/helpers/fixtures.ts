/** Rows a test needs, under ids of its own, and their removal. */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/** A square site of about 400 m around (lat, lon) and one guard assigned to it. */
export async function createSiteWithGuard(
  pool: pg.Pool,
  ids: { siteId: string; guardId: string },
  center = { lat: 51.2205, lon: 4.4025 },
): Promise<void> {
  const d = 0.002;
  const ring = [
    [center.lon - d, center.lat - d],
    [center.lon + d, center.lat - d],
    [center.lon + d, center.lat + d],
    [center.lon - d, center.lat + d],
    [center.lon - d, center.lat - d],
  ];
  await pool.query(
    `INSERT INTO sites (id, name, geofence)
     VALUES ($1, $2, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326))`,
    [
      ids.siteId,
      `Test site ${ids.siteId}`,
      JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
    ],
  );
  await pool.query(
    `INSERT INTO guards (id, name, site_id, updated_at) VALUES ($1, $2, $3, now())`,
    [ids.guardId, `Test guard ${ids.guardId}`, ids.siteId],
  );
}

/** Removes the site, its guards and their positions. */
export async function removeSite(pool: pg.Pool, siteId: string): Promise<void> {
  await pool.query(`DELETE FROM guards WHERE site_id = $1`, [siteId]);
  await pool.query(`DELETE FROM sites WHERE id = $1`, [siteId]);
}

/** An open critical SOS alert of the site, with a message key of its own; returns its id. */
export async function insertOpenAlert(pool: pg.Pool, siteId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO alerts (id, type, severity, message, site_id, raised_at, message_key)
     VALUES (gen_random_uuid(), 'sos', 'critical', 'test', $1, now(), $2) RETURNING id`,
    [siteId, `test-alert-${randomUUID()}`],
  );
  return rows[0]!.id;
}
