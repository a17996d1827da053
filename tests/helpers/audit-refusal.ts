/**
 * Makes writes fail for chosen rows, as a full disk or a lost connection
 * would, with a trigger that matches only the test's own rows (so nothing
 * else running against the database is disturbed). auditRefusal refuses
 * audit entries; rowRefusal any table's inserts or updates.
 */
import type pg from 'pg';
import { uniqueId } from './services';

export interface RowRefusal {
  /** Refuses every row for which `condition` (SQL over NEW, and OLD for updates) holds. */
  refuse(condition: string): Promise<void>;
  /** Drops the trigger (safe to call when none is set). */
  lift(): Promise<void>;
}

/** One trigger name per caller; refuse() again replaces the condition after lift(). */
export function rowRefusal(
  pool: pg.Pool,
  on: { table: string; event: 'INSERT' | 'UPDATE' },
): RowRefusal {
  const trigger = uniqueId('refuse_rows').replace(/-/g, '_');
  return {
    async refuse(condition) {
      await pool.query(`
        CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF ${condition} THEN
            RAISE EXCEPTION '${on.table} ${on.event.toLowerCase()} refused by the test';
          END IF;
          RETURN NEW;
        END $$`);
      await pool.query(
        `CREATE TRIGGER ${trigger} BEFORE ${on.event} ON ${on.table} FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
      );
    },
    async lift() {
      await pool.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${on.table}`);
      await pool.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
    },
  };
}

export type AuditRefusal = RowRefusal;

/** Refuses chosen audit_log inserts. */
export const auditRefusal = (pool: pg.Pool): AuditRefusal =>
  rowRefusal(pool, { table: 'audit_log', event: 'INSERT' });
