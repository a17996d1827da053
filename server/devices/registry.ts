/** Devices never seen before are registered as unassigned rather than refused. */
import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Inserts the devices that do not exist yet (no guard, no site), in id order.
 * Call it outside (before) a transaction that locks devices: an insert held
 * open inside one can wait in a cycle with another batch's ordered locks.
 */
export async function registerDevices(db: Queryable, ids: string[]): Promise<void> {
  await db.query(
    // In id order, so concurrent batches never wait on each other in a cycle.
    `INSERT INTO devices (id, updated_at)
     SELECT d, now() FROM (SELECT DISTINCT d FROM unnest($1::text[]) AS d ORDER BY d) AS ordered
     ON CONFLICT (id) DO NOTHING`,
    [ids],
  );
}
