/**
 * The escalation admin APIs through their real route handlers: admins only,
 * bad policies refused with what is wrong (including a user or webhook that
 * does not exist, who would never be told), and every change committed with
 * its audit entry or not at all: a trigger on audit_log refuses this test's
 * entries, as a full disk would, and the policy or webhook stays as it was.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GET as escalationRoute,
  PUT as savePolicyRoute,
} from '../../app/api/admin/escalation/route';
import { POST as createWebhookRoute } from '../../app/api/admin/webhooks/route';
import { auditRefusal, type AuditRefusal } from '../helpers/audit-refusal';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { routeRequest } from '../helpers/route-request';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';

const urls = requireServiceUrls();
const siteId = uniqueId('site-policy');
const hookName = uniqueId('audited hook');

let app: TestApp;
let pool: pg.Pool;
let admin: TestUser;
let supervisor: TestUser;
let refusal: AuditRefusal;

const put = (user: TestUser, body: unknown) =>
  savePolicyRoute(
    routeRequest('/api/admin/escalation', { method: 'PUT', cookie: user.cookie, body }),
  );

const policyOf = async () =>
  (
    await pool.query(
      `SELECT steps FROM escalation_policies WHERE site_id = $1 AND severity = 'high'`,
      [siteId],
    )
  ).rows[0]?.steps;

const toSupervisors = (afterSeconds: number) => ({
  afterSeconds,
  recipients: [{ kind: 'site_supervisors' }],
});

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  refusal = auditRefusal(pool);
  await createSiteWithGuard(pool, { siteId, guardId: uniqueId('g-policy') });
  app = await startTestApp({ ROLES: 'web' });
  admin = await createTestUser(pool, app.config, { role: 'admin' });
  supervisor = await createTestUser(pool, app.config, { role: 'supervisor', siteIds: [siteId] });
}, 60_000);

afterAll(async () => {
  await refusal.lift().catch(() => undefined);
  await pool.query(`DELETE FROM webhooks WHERE name = $1`, [hookName]);
  await removeTestUsers(pool, [admin, supervisor]);
  await removeSite(pool, siteId);
  await app?.stop();
  await pool.end();
});

describe('escalation admin API', () => {
  it('is for admins only', async () => {
    const read = await escalationRoute(
      routeRequest('/api/admin/escalation', { cookie: supervisor.cookie }),
    );
    expect(read.status).toBe(403);
    const write = await put(supervisor, {
      siteId,
      severity: 'high',
      steps: [toSupervisors(0)],
    });
    expect(write.status).toBe(403);
    expect(await policyOf()).toBeUndefined();
  });

  it.each([
    ['steps out of order', [toSupervisors(60), toSupervisors(30)], 'in order of time'],
    [
      'a repeat without its count',
      [{ ...toSupervisors(0), repeatEverySeconds: 60 }],
      'go together',
    ],
    ['a step without recipients', [{ afterSeconds: 0, recipients: [] }], 'at least one'],
    [
      'a user who does not exist',
      [{ afterSeconds: 0, recipients: [{ kind: 'user', userId: crypto.randomUUID() }] }],
      'unknown user',
    ],
    [
      'a webhook that does not exist',
      [{ afterSeconds: 0, recipients: [{ kind: 'webhook', webhookId: crypto.randomUUID() }] }],
      'unknown webhook',
    ],
  ])('refuses a policy with %s, saying why', async (_case, steps, reason) => {
    const res = await put(admin, { siteId, severity: 'high', steps });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain(reason);
    expect(await policyOf()).toBeUndefined();
  });

  it('saves a policy with its audit entry, or neither when the entry cannot be written', async () => {
    const first = await put(admin, { siteId, severity: 'high', steps: [toSupervisors(0)] });
    expect(first.status).toBe(200);
    const { policy } = (await first.json()) as { policy: { id: string } };
    const audit = await pool.query(
      `SELECT actor_id, details FROM audit_log WHERE action = 'escalation.policy_save' AND target = $1`,
      [`escalation_policy:${policy.id}`],
    );
    expect(audit.rows).toEqual([
      {
        actor_id: admin.id,
        details: expect.objectContaining({ siteId, severity: 'high', steps: [toSupervisors(0)] }),
      },
    ]);

    await refusal.refuse(
      `NEW.details->>'siteId' = '${siteId}' OR NEW.details->>'name' = '${hookName}'`,
    );
    const refused = await put(admin, {
      siteId,
      severity: 'high',
      steps: [toSupervisors(0), toSupervisors(120)],
    });
    expect(refused.status).toBe(500);
    expect(await policyOf()).toEqual([toSupervisors(0)]);

    const hook = await createWebhookRoute(
      routeRequest('/api/admin/webhooks', {
        method: 'POST',
        cookie: admin.cookie,
        body: { name: hookName, url: 'https://hooks.example.com/watchfloor' },
      }),
    );
    expect(hook.status).toBe(500);
    const { rowCount } = await pool.query(`SELECT 1 FROM webhooks WHERE name = $1`, [hookName]);
    expect(rowCount).toBe(0);
  });
});
