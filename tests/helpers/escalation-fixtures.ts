/**
 * Escalation test set-up under names of its own: a site with a guard, a
 * supervisor of that site, the site's policy for critical alerts, and an SOS
 * raised by putting the device-alert job on the queue as the ingest would.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { PolicyInput } from '../../contract/escalation';
import type { TaskQueues } from '../../server/queues/task-queues';
import { createSiteWithGuard, removeSite } from './fixtures';
import { uniqueId } from './services';
import { waitFor } from './wait-for';

export interface EscalationSite {
  siteId: string;
  guardId: string;
  supervisorEmail: string;
  supervisorId: string;
  cleanup(): Promise<void>;
}

/** A site, its guard and a supervisor (notification address `<id>@sink.test`). */
export async function createEscalationSite(pool: pg.Pool): Promise<EscalationSite> {
  const siteId = uniqueId('esc-site');
  const guardId = uniqueId('esc-guard');
  await createSiteWithGuard(pool, { siteId, guardId });
  const supervisorEmail = `${uniqueId('sup')}@sink.test`.toLowerCase();
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (id, email, name, role, password_hash) VALUES (gen_random_uuid(), $1, 'Sam Supervisor', 'supervisor', 'x')
     RETURNING id`,
    [supervisorEmail],
  );
  const supervisorId = rows[0]!.id;
  await pool.query(`INSERT INTO user_sites (user_id, site_id) VALUES ($1, $2)`, [
    supervisorId,
    siteId,
  ]);
  return {
    siteId,
    guardId,
    supervisorEmail,
    supervisorId,
    async cleanup() {
      await pool.query(`DELETE FROM alerts WHERE site_id = $1`, [siteId]);
      await pool.query(`DELETE FROM users WHERE id = $1`, [supervisorId]);
      await pool.query(`DELETE FROM escalation_policies WHERE site_id = $1`, [siteId]);
      await removeSite(pool, siteId);
    },
  };
}

/** Saves the site's policy for critical alerts. */
export async function setPolicy(
  pool: pg.Pool,
  siteId: string,
  steps: PolicyInput['steps'],
): Promise<void> {
  await pool.query(
    `INSERT INTO escalation_policies (site_id, severity, steps) VALUES ($1, 'critical', $2)
     ON CONFLICT (site_id, severity) DO UPDATE SET steps = EXCLUDED.steps, enabled = true`,
    [siteId, JSON.stringify(steps)],
  );
}

/** Raises an SOS of the site's guard through the critical queue; resolves with the alert id. */
export async function raiseSos(
  pool: pg.Pool,
  queues: Pick<TaskQueues, 'enqueue'>,
  guardId: string,
  waitMs = 30_000,
): Promise<string> {
  const messageKey = `esc-test-${randomUUID()}`;
  const now = Date.now();
  await queues.enqueue('process_device_alert', messageKey, {
    messageKey,
    deviceId: guardId,
    type: 'sos',
    guardId,
    location: null,
    message: 'help <b>now</b>',
    raisedAt: now,
    receivedAt: now,
  });
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM alerts WHERE message_key = $1`,
      [messageKey],
    );
    if (rows[0]) return rows[0].id;
    if (Date.now() > deadline) throw new Error('the SOS was not stored');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The alert's notifications as (step.repeat channel recipient status) lines, sorted. */
export async function notificationLines(pool: pg.Pool, alertId: string): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(
    `SELECT step || '.' || repeat || ' ' || channel || ' ' || recipient || ' ' || status AS line
     FROM escalation_notifications WHERE alert_id = $1 ORDER BY 1`,
    [alertId],
  );
  return rows.map((r) => r.line);
}

/** Waits until the alert's notification on `channel` has `status`; returns its row. */
export async function waitForNotification(
  pool: pg.Pool,
  alertId: string,
  channel: 'email' | 'webhook',
  status: string,
): Promise<{ status: string; attempts: number; error: string | null }> {
  return waitFor(
    async () => {
      const { rows } = await pool.query(
        `SELECT status, attempts, error FROM escalation_notifications WHERE alert_id = $1 AND channel = $2`,
        [alertId, channel],
      );
      return rows[0]?.status === status ? rows[0] : null;
    },
    { timeoutMs: 40_000, what: `the ${channel} notification to be ${status}` },
  );
}
