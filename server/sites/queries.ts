/** Read queries over sites. */
import type pg from 'pg';
import type { SiteDto } from '../../contract/guards';

/** Every site with its geofence as GeoJSON. */
export async function listSites(pool: pg.Pool): Promise<SiteDto[]> {
  const { rows } = await pool.query<{ id: string; name: string; geofence: string }>(
    `SELECT id, name, ST_AsGeoJSON(geofence) AS geofence FROM sites ORDER BY name`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    geofence: JSON.parse(row.geofence) as SiteDto['geofence'],
  }));
}

/** Every site's id and name, for pickers (admin pages). */
export async function listSiteNames(pool: pg.Pool): Promise<{ id: string; name: string }[]> {
  const { rows } = await pool.query<{ id: string; name: string }>(
    `SELECT id, name FROM sites ORDER BY name`,
  );
  return rows;
}
