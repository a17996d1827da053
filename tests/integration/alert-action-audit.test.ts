/**
 * An alert action, or a device command, and its audit entry commit together:
 * when the audit row cannot be written, nothing changes (no acknowledgement or
 * command without its trail). The failure is made real with a trigger on
 * audit_log that refuses this test's targets only, so nothing else is disturbed.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as acknowledge } from '../../app/api/alerts/[id]/acknowledge/route';
import { POST as resolve } from '../../app/api/alerts/[id]/resolve/route';
import { POST as sendCommand } from '../../app/api/commands/route';
import { auditRefusal, type AuditRefusal } from '../helpers/audit-refusal';
import { createSiteWithGuard, insertOpenAlert, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { idParams, routeRequest } from '../helpers/route-request';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';

const urls = requireServiceUrls();
const siteId = uniqueId('site-audit');
const guardId = uniqueId('g-audit');

let app: TestApp;
let pool: pg.Pool;
let admin: TestUser;
let refusal: AuditRefusal;

const insertAlert = () => insertOpenAlert(pool, siteId);

/**
 * Makes every audit insert about this alert (or, for commands, this guard) fail,
 * as a full disk or a lost connection would.
 */
const refuseAuditFor = (alertId: string) =>
  refusal.refuse(`NEW.target = 'alert:${alertId}' OR NEW.details->>'target' = 'guard:${guardId}'`);

const dropRefusal = () => refusal.lift();

const statusOf = async (id: string) =>
  (await pool.query<{ status: string }>(`SELECT status FROM alerts WHERE id = $1`, [id])).rows[0]
    ?.status;

const auditRows = async (id: string) =>
  (
    await pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target = $1 AND action LIKE 'alert.%' ORDER BY id`,
      [`alert:${id}`],
    )
  ).rows.map((r) => r.action);

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  refusal = auditRefusal(pool);
  await createSiteWithGuard(pool, { siteId, guardId });
  app = await startTestApp({});
  admin = await createTestUser(pool, app.config, { role: 'admin' });
});

afterAll(async () => {
  await dropRefusal().catch(() => undefined);
  await app?.stop();
  await pool?.query(`DELETE FROM alerts WHERE site_id = $1`, [siteId]);
  await pool?.query(`DELETE FROM device_commands WHERE target_id = $1`, [guardId]);
  if (admin) await removeTestUsers(pool, [admin]);
  await removeSite(pool, siteId);
  await pool?.end();
});

describe('alert actions and their audit entries', () => {
  it('leaves the alert open when its acknowledgement cannot be audited', async () => {
    const id = await insertAlert();
    await refuseAuditFor(id);
    try {
      const response = await acknowledge(
        routeRequest(`/api/alerts/${id}/acknowledge`, { method: 'POST', cookie: admin.cookie }),
        idParams(id),
      );
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(await statusOf(id)).toBe('open');
      expect(await auditRows(id)).toEqual([]);
    } finally {
      await dropRefusal();
    }
  });

  it('commits the acknowledgement and the resolution each with its audit entry', async () => {
    const id = await insertAlert();
    const acked = await acknowledge(
      routeRequest(`/api/alerts/${id}/acknowledge`, { method: 'POST', cookie: admin.cookie }),
      idParams(id),
    );
    expect(acked.status).toBe(200);
    expect(await statusOf(id)).toBe('acknowledged');
    const resolved = await resolve(
      routeRequest(`/api/alerts/${id}/resolve`, {
        method: 'POST',
        cookie: admin.cookie,
        body: { reason: 'false alarm, checked on camera' },
      }),
      idParams(id),
    );
    expect(resolved.status).toBe(200);
    expect(await statusOf(id)).toBe('resolved');
    expect(await auditRows(id)).toEqual(['alert.acknowledge', 'alert.resolve']);
  });

  it('stores no command when its audit entry cannot be written', async () => {
    await refuseAuditFor('none');
    try {
      const response = await sendCommand(
        routeRequest('/api/commands', {
          method: 'POST',
          cookie: admin.cookie,
          body: { type: 'locate', target: { kind: 'guard', id: guardId } },
        }),
      );
      expect(response.status).toBeGreaterThanOrEqual(500);
      const { rows } = await pool.query(`SELECT id FROM device_commands WHERE target_id = $1`, [
        guardId,
      ]);
      expect(rows).toEqual([]);
    } finally {
      await dropRefusal();
    }
  });
});
