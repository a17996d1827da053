/** Devices never seen before are registered as unassigned rather than refused. */
import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Inserts the devices that do not exist yet (no guard, no site). */
export async function registerDevices(db: Queryable, ids: string[]): Promise<void> {
  await db.query(
    `INSERT INTO devices (id, updated_at) SELECT DISTINCT d, now() FROM unnest($1::text[]) AS d
     ON CONFLICT (id) DO NOTHING`,
    [ids],
  );
}
