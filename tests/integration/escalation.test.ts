/**
 * Escalation against a real SMTP sink and a local HTTP receiver: steps fire on
 * time and once, acknowledging or resolving cancels the rest, a failing webhook is
 * retried and then shown failed without holding up e-mail, and the
 * receiver's check tells a genuine signature from a forged or replayed one.
 */
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../server/escalation/webhook-signature';
import { escalateJobId } from '../../server/escalation/escalation-jobs';
import { POST as acknowledgeRoute } from '../../app/api/alerts/[id]/acknowledge/route';
import { POST as resolveRoute } from '../../app/api/alerts/[id]/resolve/route';
import { routeFor } from '../../server/queues/routes';
import { GET as timelineRoute } from '../../app/api/alerts/[id]/escalation/route';
import { GET as deliveriesRoute } from '../../app/api/admin/webhooks/deliveries/route';
import { POST as createWebhookRoute } from '../../app/api/admin/webhooks/route';
import { idParams, routeRequest } from '../helpers/route-request';
import {
  notificationLines,
  raiseSos,
  setPolicy,
  waitForNotification,
} from '../helpers/escalation-fixtures';
import { PUBLIC_URL, escalationHarnessPerFile } from '../helpers/escalation-harness';
import { waitFor } from '../helpers/wait-for';

const h = escalationHarnessPerFile();

describe('escalation', () => {
  it('fires each step on time and once, by e-mail (text and HTML) and by signed webhook', async () => {
    const hook = await h.addWebhook('/ok');
    await setPolicy(h.pool, h.site.siteId, [
      {
        afterSeconds: 0,
        recipients: [{ kind: 'site_supervisors' }, { kind: 'webhook', webhookId: hook.id }],
      },
      { afterSeconds: 3, recipients: [{ kind: 'email', address: 'lead@sink.test' }] },
    ]);
    const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);

    const first = await waitFor(() => h.mailsTo(h.site.supervisorEmail, alertId)[0], {
      timeoutMs: 30_000,
      what: 'the first e-mail',
    });
    expect(first.subject).toContain('SOS');
    expect(first.raw).toContain('Content-Type: text/plain');
    expect(first.raw).toContain('Content-Type: text/html');
    expect(first.raw).toContain(`${PUBLIC_URL}/alerts/${alertId}`);
    // The device's text is escaped in the HTML part, never markup.
    expect(first.raw).toContain('&#60;b&#62;now');
    // What, who, where (with the map), since when (a time people read), and where to acknowledge.
    const text = first.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    expect(text).toContain('What: SOS (critical)');
    expect(text).toContain(`Who: Test guard ${h.site.guardId}`);
    expect(text).toContain(`Where: Test site ${h.site.siteId}`);
    expect(text).toMatch(/Since: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(still open\)/);
    expect(text).toContain(`Map: ${PUBLIC_URL}/?alert=${alertId}`);
    expect(text).toContain(`Acknowledge: ${PUBLIC_URL}/alerts/${alertId}`);
    const hookCall = await waitFor(
      () => h.receiver.received.find((r) => r.body.includes(alertId)),
      {
        timeoutMs: 30_000,
        what: 'the webhook',
      },
    );
    expect(JSON.parse(hookCall.body)).toMatchObject({
      event: 'alert.escalation',
      step: 0,
      alert: { id: alertId, type: 'sos', raisedAt: expect.stringMatching(/^\d{4}-.*Z$/) },
      links: { acknowledge: `${PUBLIC_URL}/alerts/${alertId}` },
    });
    expect(
      verifyWebhookSignature({
        secret: hook.secret,
        body: hookCall.body,
        header: String(hookCall.headers['watchfloor-signature']),
      }).ok,
    ).toBe(true);

    const second = await waitFor(() => h.mailsTo('lead@sink.test', alertId)[0], {
      timeoutMs: 40_000,
      what: 'the second step',
    });
    // On time: never before it was due (3 s after the alert was received).
    const { rows } = await h.pool.query<{
      received_at: Date;
      sent_at: Date;
      due_at: Date;
      escalated_at: Date | null;
    }>(
      `SELECT a.received_at, n.sent_at, n.due_at, a.escalated_at FROM escalation_notifications n
       JOIN alerts a ON a.id = n.alert_id WHERE n.alert_id = $1 AND n.step = 1`,
      [alertId],
    );
    expect(rows[0]!.due_at.getTime() - rows[0]!.received_at.getTime()).toBe(3000);
    expect(second.receivedAt).toBeGreaterThanOrEqual(rows[0]!.due_at.getTime());
    expect(rows[0]!.escalated_at).not.toBeNull();

    // Give any double a chance to show up, then count: one of each.
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.mailsTo(h.site.supervisorEmail, alertId)).toHaveLength(1);
    expect(h.mailsTo('lead@sink.test', alertId)).toHaveLength(1);
    expect(h.receiver.received.filter((r) => r.body.includes(alertId))).toHaveLength(1);
    expect(await notificationLines(h.pool, alertId)).toEqual([
      `0.0 email ${h.site.supervisorEmail} sent`,
      `0.0 webhook ${hook.id} sent`,
      '1.0 email lead@sink.test sent',
    ]);
    const timeline = await timelineRoute(
      routeRequest(`/api/alerts/${alertId}/escalation`, { cookie: h.admin.cookie }),
      idParams(alertId),
    ).then((r) => r.json() as Promise<{ timeline: { endReason: string; entries: unknown[] } }>);
    expect(timeline.timeline.entries).toHaveLength(3);
    expect(timeline.timeline.endReason).toBe('completed');
  }, 90_000);

  it.each([
    ['acknowledges', 'acknowledge', 'acknowledged', acknowledgeRoute, undefined],
    ['resolves', 'resolve', 'resolved', resolveRoute, { reason: 'false alarm, guard checked in' }],
  ] as const)(
    'cancels the remaining steps at once when someone %s',
    async (_case, verb, endReason, route, body) => {
      const late = `late-${verb}@sink.test`;
      await setPolicy(h.pool, h.site.siteId, [
        { afterSeconds: 0, recipients: [{ kind: 'site_supervisors' }] },
        { afterSeconds: 4, recipients: [{ kind: 'email', address: late }] },
      ]);
      const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
      await waitFor(() => h.mailsTo(h.site.supervisorEmail, alertId)[0], {
        timeoutMs: 30_000,
        what: 'step 0',
      });
      const steps = h.queues.queue(routeFor('escalate_alert').queue);
      const jobId = escalateJobId({ alertId, step: 1, repeat: 0 });
      expect(await steps.getJobState(jobId)).toBe('delayed');

      const res = await route(
        routeRequest(`/api/alerts/${alertId}/${verb}`, {
          method: 'POST',
          cookie: h.admin.cookie,
          body,
        }),
        idParams(alertId),
      );
      expect(res.status).toBe(200);
      // At once: the delayed job is gone the moment the request returns.
      expect(await steps.getJobState(jobId)).toBe('unknown');

      // Past the cancelled step's time (and a sweep or two): nothing more was sent.
      await new Promise((r) => setTimeout(r, 6000));
      expect(h.mailsTo(late, alertId)).toHaveLength(0);
      const { rows } = await h.pool.query(
        `SELECT end_reason, next_step FROM alert_escalations WHERE alert_id = $1`,
        [alertId],
      );
      expect(rows[0]).toMatchObject({ end_reason: endReason, next_step: 1 });
      const audit = await h.pool.query(
        `SELECT action, details FROM audit_log WHERE target = $1 ORDER BY id`,
        [`alert:${alertId}`],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining([
          'escalation.step',
          'escalation.sent',
          `alert.${verb}`,
          'escalation.cancel',
        ]),
      );
      expect(audit.rows.find((r) => r.action === 'escalation.cancel')?.details).toMatchObject({
        reason: endReason,
        nextStep: 1,
      });
    },
    60_000,
  );

  it('retries a failing webhook, then shows it failed, while the e-mail goes out', async () => {
    const { hookId, alertId } = await h.sosToFailingWebhook('/down', 503);
    const mail = await waitFor(() => h.mailsTo(h.site.supervisorEmail, alertId)[0], {
      timeoutMs: 30_000,
      what: 'the e-mail',
    });
    const failed = await waitForNotification(h.pool, alertId, 'webhook', 'failed');
    expect(failed.attempts).toBe(3);
    expect(failed.error).toContain('503');
    const calls = h.receiver.received.filter((r) => r.path === '/down' && r.body.includes(alertId));
    expect(calls).toHaveLength(3);
    // E-mail did not wait for the webhook's retries.
    expect(mail.receivedAt).toBeLessThan(calls[calls.length - 1]!.receivedAt);

    const res = await deliveriesRoute(
      routeRequest(`/api/admin/webhooks/deliveries?webhookId=${hookId}`, {
        cookie: h.admin.cookie,
      }),
    );
    const { deliveries } = (await res.json()) as {
      deliveries: { ok: boolean; statusCode: number; attempt: number; latencyMs: number }[];
    };
    expect(deliveries.map((d) => [d.ok, d.statusCode, d.attempt])).toEqual([
      [false, 503, 3],
      [false, 503, 2],
      [false, 503, 1],
    ]);
    const timeline = await timelineRoute(
      routeRequest(`/api/alerts/${alertId}/escalation`, { cookie: h.admin.cookie }),
      idParams(alertId),
    ).then(
      (r) => r.json() as Promise<{ timeline: { entries: { channel: string; status: string }[] } }>,
    );
    expect(timeline.timeline.entries.map((e) => `${e.channel} ${e.status}`).sort()).toEqual([
      'email sent',
      'webhook failed',
    ]);
  }, 90_000);

  it("lets the receiver's check refuse a forged, tampered, stale or replayed signature", async () => {
    const hook = await h.addWebhook('/verify');
    await setPolicy(h.pool, h.site.siteId, [
      { afterSeconds: 0, recipients: [{ kind: 'webhook', webhookId: hook.id }] },
    ]);
    const alertId = await raiseSos(h.pool, h.queues, h.site.guardId);
    const call = await waitFor(
      () => h.receiver.received.find((r) => r.path === '/verify' && r.body.includes(alertId)),
      {
        timeoutMs: 30_000,
        what: 'the webhook',
      },
    );
    const header = String(call.headers['watchfloor-signature']);
    const seen = new Set<string>();
    expect(
      verifyWebhookSignature({ secret: hook.secret, body: call.body, header, seen }),
    ).toMatchObject({ ok: true });
    // The same request sent again: a replay.
    expect(verifyWebhookSignature({ secret: hook.secret, body: call.body, header, seen })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    // Someone without the secret.
    const forged = signWebhook('whsec_guess', call.body, Date.now());
    expect(
      verifyWebhookSignature({ secret: hook.secret, body: call.body, header: forged }),
    ).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // The body changed in transit.
    const tampered = call.body.replace('"sos"', '"tamper"');
    expect(verifyWebhookSignature({ secret: hook.secret, body: tampered, header })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // Captured and sent again an hour later.
    expect(
      verifyWebhookSignature({
        secret: hook.secret,
        body: call.body,
        header,
        now: Date.now() + 3_600_000,
      }),
    ).toEqual({ ok: false, reason: 'too_old' });
  }, 60_000);

  it('refuses a webhook that points at this server or an internal address', async () => {
    for (const url of [
      `${PUBLIC_URL}/api/alerts`,
      'http://169.254.169.254/latest/meta-data',
      'ftp://example.com/x',
    ]) {
      const res = await createWebhookRoute(
        routeRequest('/api/admin/webhooks', {
          method: 'POST',
          cookie: h.admin.cookie,
          body: { name: 'bad', url },
        }),
      );
      expect(res.status, url).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'WEBHOOK_TARGET_REFUSED',
      );
    }
  });
});
