/**
 * Makes audit inserts fail for chosen entries, as a full disk or a lost
 * connection would, with a trigger on audit_log that matches only the test's
 * own entries (so nothing else running against the database is disturbed).
 */
import type pg from 'pg';
import { uniqueId } from './services';

export interface AuditRefusal {
  /** Refuses every audit row for which `condition` (SQL over NEW) holds. */
  refuse(condition: string): Promise<void>;
  /** Drops the trigger (safe to call when none is set). */
  lift(): Promise<void>;
}

/** One trigger name per caller; refuse() again replaces the condition after lift(). */
export function auditRefusal(pool: pg.Pool): AuditRefusal {
  const trigger = uniqueId('refuse_audit').replace(/-/g, '_');
  return {
    async refuse(condition) {
      await pool.query(`
        CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF ${condition} THEN
            RAISE EXCEPTION 'audit refused by the test';
          END IF;
          RETURN NEW;
        END $$`);
      await pool.query(
        `CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
      );
    },
    async lift() {
      await pool.query(`DROP TRIGGER IF EXISTS ${trigger} ON audit_log`);
      await pool.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
    },
  };
}
