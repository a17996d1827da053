/**
 * Escalation from install to the end of an alert, against a real SMTP sink
 * and HTTP receiver: a freshly migrated database escalates critical alerts to
 * the site's supervisors, a notification address an admin sets is where the
 * e-mail goes, resolving ends the remaining steps at once, and a webhook whose
 * name resolves to an internal address is refused when it is delivered (the
 * check that a saved URL cannot dodge by changing its DNS).
 */
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH as patchUserRoute } from '../../app/api/admin/users/[id]/route';
import { POST as resolveRoute } from '../../app/api/alerts/[id]/resolve/route';
import { migrate } from '../../scripts/migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../../scripts/stack/database';
import { escalateJobId } from '../../server/escalation/escalation-jobs';
import { isInternalAddress } from '../../server/escalation/webhook-target';
import { routeFor } from '../../server/queues/routes';
import {
  createEscalationSite,
  notificationLines,
  raiseSos,
  setPolicy,
} from '../helpers/escalation-fixtures';
import { startEscalationHarness, type EscalationHarness } from '../helpers/escalation-harness';
import { idParams, routeRequest } from '../helpers/route-request';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

let h: EscalationHarness;

beforeAll(async () => {
  h = await startEscalationHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('escalation from install to resolution', () => {
  it('escalates a critical alert to the site supervisors on a fresh install, with no policy written', async () => {
    // What the migrations leave in an empty database.
    const fresh = withDatabase(
      requireServiceUrls().databaseUrl,
      uniqueId('wf_esc_fresh').replace(/-/g, '_'),
    );
    await ensureDatabase(fresh);
    try {
      await migrate(fresh);
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: fresh });
      await client.connect();
      const { rows } = await client
        .query(`SELECT site_id, severity, enabled, steps FROM escalation_policies`)
        .finally(() => client.end());
      expect(rows).toEqual([
        {
          site_id: null,
          severity: 'critical',
          enabled: true,
          steps: [
            expect.objectContaining({
              afterSeconds: 0,
              recipients: [{ kind: 'site_supervisors' }],
            }),
            expect.objectContaining({
              recipients: [{ kind: 'site_supervisors' }, { kind: 'admins' }],
            }),
          ],
        },
      ]);
    } finally {
      await dropDatabase(fresh);
    }

    // A site of its own without a policy: the default applies.
    const plain = await createEscalationSite(h.pool);
    try {
      const alertId = await raiseSos(h.pool, h.queues, plain.guardId);
      const sent = `0.0 email ${plain.supervisorEmail} sent`;
      // Recorded sent just after the sink accepted it.
      await waitFor(async () => (await notificationLines(h.pool, alertId)).includes(sent), {
        timeoutMs: 30_000,
        what: "the default policy's e-mail to the site's supervisor",
      });
      expect(await notificationLines(h.pool, alertId)).toEqual([sent]);
      expect(h.mailsTo(plain.supervisorEmail, alertId)).toHaveLength(1);
      const { rows } = await h.pool.query(
        `SELECT p.site_id FROM alert_escalations e JOIN escalation_policies p ON p.id = e.policy_id
         WHERE e.alert_id = $1`,
        [alertId],
      );
      expect(rows).toEqual([{ site_id: null }]);
    } finally {
      await plain.cleanup();
    }
  }, 90_000);

  it("e-mails the notification address an admin set, not the user's login", async () => {
    const duty = `${uniqueId('duty')}@sink.test`.toLowerCase();
    const res = await patchUserRoute(
      routeRequest(`/api/admin/users/${h.site.supervisorId}`, {
        method: 'PATCH',
        cookie: h.admin.cookie,
        body: { notificationEmail: duty },
      }),
      idParams(h.site.supervisorId),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    try {
      await setPolicy(h.pool, h.site.siteId, [
        { afterSeconds: 0, recipients: [{ kind: 'site_supervisors' }] },
      ]);
      const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
      const sent = `0.0 email ${duty} sent`;
      await waitFor(async () => (await notificationLines(h.pool, alertId)).includes(sent), {
        timeoutMs: 30_000,
        what: 'the e-mail at the notification address',
      });
      expect(await notificationLines(h.pool, alertId)).toEqual([sent]);
      expect(h.mailsTo(duty, alertId)).toHaveLength(1);
      expect(h.mailsTo(h.site.supervisorEmail, alertId)).toEqual([]);
    } finally {
      await h.pool.query(`UPDATE users SET notification_email = NULL WHERE id = $1`, [
        h.site.supervisorId,
      ]);
    }
  }, 60_000);

  it('ends the remaining steps at once when the alert is resolved', async () => {
    await setPolicy(h.pool, h.site.siteId, [
      { afterSeconds: 0, recipients: [{ kind: 'site_supervisors' }] },
      { afterSeconds: 4, recipients: [{ kind: 'email', address: 'after-resolve@sink.test' }] },
    ]);
    const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
    await waitFor(() => h.mailsTo(h.site.supervisorEmail, alertId)[0], {
      timeoutMs: 30_000,
      what: 'step 0',
    });
    const queue = h.queues.queue(routeFor('escalate_alert').queue);
    const jobId = escalateJobId({ alertId, step: 1, repeat: 0 });
    expect(await queue.getJobState(jobId)).toBe('delayed');

    const res = await resolveRoute(
      routeRequest(`/api/alerts/${alertId}/resolve`, {
        method: 'POST',
        cookie: h.admin.cookie,
        body: { reason: 'false alarm, guard checked in' },
      }),
      idParams(alertId),
    );
    expect(res.status).toBe(200);
    expect(await queue.getJobState(jobId)).toBe('unknown');

    // Past the step's time and a few sweeps: nothing more was sent.
    await new Promise((r) => setTimeout(r, 6000));
    expect(h.mailsTo('after-resolve@sink.test', alertId)).toEqual([]);
    const { rows } = await h.pool.query(
      `SELECT end_reason, next_step FROM alert_escalations WHERE alert_id = $1`,
      [alertId],
    );
    expect(rows[0]).toMatchObject({ end_reason: 'resolved', next_step: 1 });
    const audit = await h.pool.query(
      `SELECT details FROM audit_log WHERE target = $1 AND action = 'escalation.cancel'`,
      [`alert:${alertId}`],
    );
    expect(audit.rows.map((r) => r.details)).toEqual([
      expect.objectContaining({ reason: 'resolved', nextStep: 1 }),
    ]);
  }, 60_000);

  it('refuses at delivery a webhook whose host name resolves to an internal address', async () => {
    // This machine's own name: not a literal address, so saving it passes; DNS says where it goes.
    const name = hostname().toLowerCase();
    const resolved = await lookup(name, { all: true });
    expect(
      resolved.some((a) => isInternalAddress(a.address)),
      `${name} resolves to ${resolved.map((a) => a.address).join(', ')}: this test needs an internal one`,
    ).toBe(true);
    const url = h.receiver.url('/rebind').replace('127.0.0.1', name);
    const hook = await h.addWebhook('/rebind', url);
    await setPolicy(h.pool, h.site.siteId, [
      { afterSeconds: 0, recipients: [{ kind: 'webhook', webhookId: hook.id }] },
    ]);
    const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
    const failed = await waitFor(
      async () => {
        const { rows } = await h.pool.query(
          `SELECT status, attempts, error FROM escalation_notifications WHERE alert_id = $1`,
          [alertId],
        );
        return rows[0]?.status === 'failed' ? rows[0] : null;
      },
      { timeoutMs: 40_000, what: 'the webhook to be refused and marked failed' },
    );
    expect(failed.error).toContain('resolves to the internal address');
    expect(h.receiver.received.filter((r) => r.path === '/rebind')).toEqual([]);
  }, 60_000);
});
