/**
 * Escalation from install to the end of an alert, against a real SMTP sink
 * and HTTP receiver: a freshly migrated database escalates critical alerts to
 * the site's supervisors, a notification address an admin sets is where the
 * e-mail goes, a step repeats at its interval until its repeats are used up, and a webhook whose name resolves to an internal address is
 * refused when it is delivered (the check that a saved URL cannot dodge by
 * changing its DNS).
 */
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { PATCH as patchUserRoute } from '../../app/api/admin/users/[id]/route';
import { migrate } from '../../scripts/migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../../scripts/stack/database';
import { isInternalAddress } from '../../server/escalation/webhook-target';
import {
  createEscalationSite,
  notificationLines,
  raiseSos,
  setPolicy,
  waitForNotification,
} from '../helpers/escalation-fixtures';
import { escalationHarnessPerFile } from '../helpers/escalation-harness';
import { idParams, routeRequest } from '../helpers/route-request';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const h = escalationHarnessPerFile();

describe('escalation from install to delivery', () => {
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

  it('reminds while nobody acknowledges, at the repeat interval, then stops', async () => {
    await setPolicy(h.pool, h.site.siteId, [
      {
        afterSeconds: 0,
        repeatEverySeconds: 30,
        repeatTimes: 1,
        recipients: [{ kind: 'site_supervisors' }],
      },
    ]);
    const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
    const reminder = await waitFor(
      () =>
        h
          .mailsTo(h.site.supervisorEmail, alertId)
          .find((m) => m.raw.includes('Step: 1, reminder 1')),
      { timeoutMs: 60_000, intervalMs: 100, what: 'the reminder' },
    );
    const lines = [
      `0.0 email ${h.site.supervisorEmail} sent`,
      `0.1 email ${h.site.supervisorEmail} sent`,
    ];
    // Recorded sent just after the sink accepted it.
    await waitFor(
      async () =>
        JSON.stringify(await notificationLines(h.pool, alertId)) === JSON.stringify(lines),
      { timeoutMs: 30_000, intervalMs: 100, what: 'both e-mails recorded sent' },
    );
    const { rows } = await h.pool.query<{ received_at: Date; end_reason: string | null }>(
      `SELECT a.received_at, e.end_reason FROM alerts a JOIN alert_escalations e ON e.alert_id = a.id
       WHERE a.id = $1`,
      [alertId],
    );
    // Never before it was due: 30 s after the alert was received.
    expect(reminder.receivedAt).toBeGreaterThanOrEqual(rows[0]!.received_at.getTime() + 30_000);
    // One repeat: then the escalation is over, and nothing more is sent.
    expect(rows[0]!.end_reason).toBe('completed');
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.mailsTo(h.site.supervisorEmail, alertId)).toHaveLength(2);
  }, 90_000);

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
    const failed = await waitForNotification(h.pool, alertId, 'webhook', 'failed');
    expect(failed.error).toContain('resolves to the internal address');
    expect(h.receiver.received.filter((r) => r.path === '/rebind')).toEqual([]);
  }, 60_000);
});
