/**
 * A notification never stays "sending" for ever, and a firing never dies in
 * silence, against a real SMTP sink, HTTP receiver, PostgreSQL and Redis.
 * Database writes are refused with triggers that match only this file's rows
 * (as a full disk or a lost connection would): a delivery whose every attempt
 * fails before the send ends failed with the reason; one the receiver took
 * but whose record failed ends sent, saying so; one whose last attempt could
 * not record anything is ended by the sweeper from the failed job; a
 * delivery job that vanished from Redis is put back and sent; and a step
 * whose job gave up during a database outage fires once the database is back.
 */
import { describe, expect, it } from 'vitest';
import { escalateJobId, notificationJobId } from '../../server/escalation/escalation-jobs';
import { routeFor } from '../../server/queues/routes';
import { rowRefusal } from '../helpers/audit-refusal';
import {
  notificationLines,
  raiseSos,
  setPolicy,
  waitForNotification,
} from '../helpers/escalation-fixtures';
import { escalationHarnessPerFile } from '../helpers/escalation-harness';
import { waitFor } from '../helpers/wait-for';

const h = escalationHarnessPerFile();
const POLL = { intervalMs: 100 };

/** A webhook to `path` and a one-step policy to it and the site's supervisors. */
async function hookAndPolicy(path: string) {
  const hook = await h.addWebhook(path);
  await setPolicy(h.pool, h.site.siteId, [
    {
      afterSeconds: 0,
      recipients: [{ kind: 'webhook', webhookId: hook.id }, { kind: 'site_supervisors' }],
    },
  ]);
  return hook;
}

/** The id of the alert's webhook notification, once its step has fired. */
const webhookNotificationId = (alertId: string) =>
  waitFor(
    async () =>
      (
        await h.pool.query<{ id: string }>(
          `SELECT id FROM escalation_notifications WHERE alert_id = $1 AND channel = 'webhook'`,
          [alertId],
        )
      ).rows[0]?.id,
    { ...POLL, timeoutMs: 30_000, what: 'the webhook notification' },
  );

const callsTo = (path: string, alertId: string) =>
  h.receiver.received.filter((r) => r.path === path && r.body.includes(alertId));

const webhookLane = () => h.queues.queue(routeFor('deliver_webhook').queue);

describe('escalation deliveries that die outside the send', () => {
  it('ends a webhook notification failed, with the reason, when every attempt fails before the send', async () => {
    const hook = await hookAndPolicy('/before');
    const refusal = rowRefusal(h.pool, { table: 'escalation_notifications', event: 'UPDATE' });
    // Taking the row for an attempt (attempts + 1) is refused: each attempt fails before any request.
    await refusal.refuse(`NEW.webhook_id = '${hook.id}' AND NEW.attempts > OLD.attempts`);
    try {
      const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
      const failed = await waitForNotification(h.pool, alertId, 'webhook', 'failed');
      expect(failed).toMatchObject({
        attempts: 0,
        error: 'not sent: escalation_notifications update refused by the test',
      });
      await waitForNotification(h.pool, alertId, 'email', 'sent');
      expect(callsTo('/before', alertId)).toEqual([]);
      // The job fails for good too (dead letters), after its three attempts.
      const jobId = notificationJobId('webhook', await webhookNotificationId(alertId));
      await waitFor(async () => (await webhookLane().getJobState(jobId)) === 'failed', {
        ...POLL,
        what: 'the delivery job in the failed set',
      });
      const audit = await h.pool.query(
        `SELECT details FROM audit_log WHERE target = $1 AND action = 'escalation.failed'`,
        [`alert:${alertId}`],
      );
      expect(audit.rows).toEqual([
        {
          details: expect.objectContaining({
            channel: 'webhook',
            error: 'not sent: escalation_notifications update refused by the test',
          }),
        },
      ]);
    } finally {
      await refusal.lift();
    }
  }, 60_000);

  it('ends it sent, saying so, when the receiver took it and only its record failed', async () => {
    const hook = await hookAndPolicy('/after');
    const refusal = rowRefusal(h.pool, { table: 'webhook_deliveries', event: 'INSERT' });
    await refusal.refuse(`NEW.webhook_id = '${hook.id}'`);
    try {
      const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
      const sent = await waitForNotification(h.pool, alertId, 'webhook', 'sent');
      expect(sent).toMatchObject({
        attempts: 3,
        error: 'sent, but recording it failed: webhook_deliveries insert refused by the test',
      });
      // Each attempt re-sent it (nothing recorded that the last one arrived), always as
      // the same delivery: receivers dedupe by Watchfloor-Delivery / the body's id.
      const notificationId = await webhookNotificationId(alertId);
      const calls = callsTo('/after', alertId);
      expect(calls).toHaveLength(3);
      expect(new Set(calls.map((c) => c.headers['watchfloor-delivery']))).toEqual(
        new Set([notificationId]),
      );
    } finally {
      await refusal.lift();
    }
  }, 60_000);

  it("ends it failed from the job's reason when its last attempt could not record anything", async () => {
    const hook = await hookAndPolicy('/unrecorded');
    const refusal = rowRefusal(h.pool, { table: 'escalation_notifications', event: 'UPDATE' });
    // Every write to the row is refused, the last attempt's own "failed" too.
    await refusal.refuse(`NEW.webhook_id = '${hook.id}'`);
    let alertId = '';
    try {
      alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
      const jobId = notificationJobId('webhook', await webhookNotificationId(alertId));
      await waitFor(async () => (await webhookLane().getJobState(jobId)) === 'failed', {
        ...POLL,
        timeoutMs: 30_000,
        what: 'the delivery job to fail for good',
      });
      // A few sweeps while the database still refuses: it stays pending, nothing is lost.
      await new Promise((r) => setTimeout(r, 2500));
      expect(await notificationLines(h.pool, alertId)).toContain(`0.0 webhook ${hook.id} pending`);
    } finally {
      await refusal.lift();
    }
    const failed = await waitForNotification(h.pool, alertId, 'webhook', 'failed');
    expect(failed).toMatchObject({
      attempts: 0,
      error: 'delivery job failed for good: escalation_notifications update refused by the test',
    });
    expect(callsTo('/unrecorded', alertId)).toEqual([]);
  }, 60_000);

  it('puts a delivery job that vanished from Redis back on its queue, and sends it once', async () => {
    const hook = await hookAndPolicy('/vanished');
    const lane = webhookLane();
    await lane.pause();
    let alertId = '';
    try {
      alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
      const jobId = notificationJobId('webhook', await webhookNotificationId(alertId));
      await waitFor(async () => (await lane.getJobState(jobId)) !== 'unknown', {
        ...POLL,
        what: 'the delivery job waiting on the paused lane',
      });
      expect(await lane.remove(jobId)).toBe(1);
    } finally {
      await lane.resume();
    }
    await waitForNotification(h.pool, alertId, 'webhook', 'sent');
    await new Promise((r) => setTimeout(r, 2500));
    expect(callsTo('/vanished', alertId)).toHaveLength(1);
    expect(await notificationLines(h.pool, alertId)).toEqual(
      [`0.0 email ${h.site.supervisorEmail} sent`, `0.0 webhook ${hook.id} sent`].sort(),
    );
  }, 60_000);

  it('fires a step whose job gave up while the database refused it, once the database is back', async () => {
    await setPolicy(h.pool, h.site.siteId, [
      { afterSeconds: 0, recipients: [{ kind: 'site_supervisors' }] },
    ]);
    const refusal = rowRefusal(h.pool, { table: 'escalation_notifications', event: 'INSERT' });
    // The step cannot claim its notifications: all eight attempts of its job fail (about a minute).
    await refusal.refuse(
      `NEW.alert_id IN (SELECT id FROM alerts WHERE site_id = '${h.site.siteId}')`,
    );
    let alertId = '';
    try {
      alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
      const steps = h.queues.queue(routeFor('escalate_alert').queue);
      const jobId = escalateJobId({ alertId, step: 0, repeat: 0 });
      const first = await waitFor(() => steps.getJob(jobId), { ...POLL, what: 'the step job' });
      // Failed for good, then put back by the sweeper: a job of the same id, added later.
      // (Without that, the failed job's id turns every re-add into a no-op for a week.)
      await waitFor(async () => ((await steps.getJob(jobId))?.timestamp ?? 0) > first.timestamp, {
        intervalMs: 250,
        timeoutMs: 150_000,
        what: 'the given-up step job put back',
      });
      expect(await notificationLines(h.pool, alertId)).toEqual([]);
    } finally {
      await refusal.lift();
    }
    // The step goes out, once, saying how late it is.
    await waitForNotification(h.pool, alertId, 'email', 'sent');
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.mailsTo(h.site.supervisorEmail, alertId)).toHaveLength(1);
    expect(h.mailsTo(h.site.supervisorEmail, alertId)[0]!.raw).toMatch(
      /Late: this step is \d+ s late/,
    );
  }, 240_000);
});
