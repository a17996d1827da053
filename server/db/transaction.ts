/** Runs a function in one transaction on one pooled connection. */
import type pg from 'pg';

/** BEGIN, fn, COMMIT; ROLLBACK and discard the connection on any error (it may be dead). */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out client is not covered by the pool's error listener: a server
  // restart mid-transaction would otherwise be an unhandled 'error' event.
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
