/**
 * Escalation against a real SMTP sink and a local HTTP receiver: steps fire on
 * time and once, acknowledgement cancels the rest, a failing webhook is
 * retried and then shown failed without holding up e-mail, and the
 * receiver's check tells a genuine signature from a forged or replayed one.
 */
import { createTaskQueues, type TaskQueues } from '../../server/queues/task-queues';
import { createLogger } from '../../server/logger';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../server/escalation/webhook-signature';
import { escalateJobId } from '../../server/escalation/escalation-jobs';
import { POST as acknowledgeRoute } from '../../app/api/alerts/[id]/acknowledge/route';
import { GET as timelineRoute } from '../../app/api/alerts/[id]/escalation/route';
import { GET as deliveriesRoute } from '../../app/api/admin/webhooks/deliveries/route';
import { POST as createWebhookRoute } from '../../app/api/admin/webhooks/route';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { idParams, routeRequest } from '../helpers/route-request';
import {
  createEscalationSite,
  notificationLines,
  raiseSos,
  setPolicy,
  type EscalationSite,
} from '../helpers/escalation-fixtures';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from '../../scripts/lib/webhook-receiver';
import { requireServiceUrls } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

let sink: SmtpSink;
let receiver: WebhookReceiver;
let app: TestApp;
let pool: pg.Pool;
let redis: Redis;
let queues: TaskQueues;
let site: EscalationSite;
let admin: TestUser;
const webhookIds: string[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  receiver = await startWebhookReceiver();
  app = await startTestApp({
    ROLES: 'web,worker',
    SMTP_URL: sink.url,
    // The receiver is on loopback: allowed by name, everything else internal stays blocked.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_ATTEMPTS: '3',
    WEBHOOK_BACKOFF_MS: '200',
    ESCALATION_SWEEP_MS: '1000',
    PUBLIC_URL: 'https://watchfloor.example.test',
  });
  pool = new pg.Pool({ connectionString: requireServiceUrls().databaseUrl, max: 3 });
  redis = new Redis(requireServiceUrls().redisUrl, { maxRetriesPerRequest: null });
  queues = createTaskQueues(redis, app.config.QUEUE_PREFIX, createLogger('silent'));
  site = await createEscalationSite(pool);
  admin = await createTestUser(pool, app.config, { role: 'admin' });
}, 60_000);

afterAll(async () => {
  await site?.cleanup();
  await removeTestUsers(pool, [admin]);
  if (webhookIds.length)
    await pool.query(`DELETE FROM webhooks WHERE id = ANY($1::uuid[])`, [webhookIds]);
  await queues?.close();
  redis?.disconnect();
  await app?.stop();
  await pool?.end();
  await sink?.close();
  await receiver?.close();
});

async function addWebhook(path: string): Promise<{ id: string; secret: string }> {
  const res = await createWebhookRoute(
    routeRequest('/api/admin/webhooks', {
      method: 'POST',
      cookie: admin.cookie,
      body: { name: `hook ${path}`, url: receiver.url(path) },
    }),
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { webhook: { id: string }; secret: string };
  webhookIds.push(body.webhook.id);
  return { id: body.webhook.id, secret: body.secret };
}

const mailsTo = (address: string, alertId: string) =>
  sink.mails.filter((m) => m.to.includes(address) && m.raw.includes(alertId));

describe('escalation', () => {
  it('fires each step on time and once, by e-mail (text and HTML) and by signed webhook', async () => {
    const hook = await addWebhook('/ok');
    await setPolicy(pool, site.siteId, [
      {
        afterSeconds: 0,
        recipients: [{ kind: 'site_supervisors' }, { kind: 'webhook', webhookId: hook.id }],
      },
      { afterSeconds: 3, recipients: [{ kind: 'email', address: 'lead@sink.test' }] },
    ]);
    const alertId = await raiseSos(pool, queues, site.guardId);

    const first = await waitFor(() => mailsTo(site.supervisorEmail, alertId)[0], {
      timeoutMs: 30_000,
      what: 'the first e-mail',
    });
    expect(first.subject).toContain('SOS');
    expect(first.raw).toContain('Content-Type: text/plain');
    expect(first.raw).toContain('Content-Type: text/html');
    expect(first.raw).toContain(`https://watchfloor.example.test/alerts/${alertId}`);
    // The device's text is escaped in the HTML part, never markup.
    expect(first.raw).toContain('&#60;b&#62;now');
    const hookCall = await waitFor(() => receiver.received.find((r) => r.body.includes(alertId)), {
      timeoutMs: 30_000,
      what: 'the webhook',
    });
    expect(JSON.parse(hookCall.body)).toMatchObject({
      event: 'alert.escalation',
      step: 0,
      alert: { id: alertId, type: 'sos' },
    });
    expect(
      verifyWebhookSignature({
        secret: hook.secret,
        body: hookCall.body,
        header: String(hookCall.headers['watchfloor-signature']),
      }).ok,
    ).toBe(true);

    const second = await waitFor(() => mailsTo('lead@sink.test', alertId)[0], {
      timeoutMs: 40_000,
      what: 'the second step',
    });
    // On time: never before it was due (3 s after the alert was received).
    const { rows } = await pool.query<{
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
    expect(mailsTo(site.supervisorEmail, alertId)).toHaveLength(1);
    expect(mailsTo('lead@sink.test', alertId)).toHaveLength(1);
    expect(receiver.received.filter((r) => r.body.includes(alertId))).toHaveLength(1);
    expect(await notificationLines(pool, alertId)).toEqual([
      `0.0 email ${site.supervisorEmail} sent`,
      `0.0 webhook ${hook.id} sent`,
      '1.0 email lead@sink.test sent',
    ]);
    const timeline = await timelineRoute(
      routeRequest(`/api/alerts/${alertId}/escalation`, { cookie: admin.cookie }),
      idParams(alertId),
    ).then((r) => r.json() as Promise<{ timeline: { endReason: string; entries: unknown[] } }>);
    expect(timeline.timeline.entries).toHaveLength(3);
    expect(timeline.timeline.endReason).toBe('completed');
  }, 90_000);

  it('cancels the remaining steps at once when someone acknowledges', async () => {
    await setPolicy(pool, site.siteId, [
      { afterSeconds: 0, recipients: [{ kind: 'site_supervisors' }] },
      { afterSeconds: 4, recipients: [{ kind: 'email', address: 'late@sink.test' }] },
    ]);
    const alertId = await raiseSos(pool, queues, site.guardId);
    await waitFor(() => mailsTo(site.supervisorEmail, alertId)[0], {
      timeoutMs: 30_000,
      what: 'step 0',
    });
    const critical = queues.queue('critical');
    const jobId = escalateJobId({ alertId, step: 1, repeat: 0 });
    expect(await critical.getJobState(jobId)).toBe('delayed');

    const res = await acknowledgeRoute(
      routeRequest(`/api/alerts/${alertId}/acknowledge`, { method: 'POST', cookie: admin.cookie }),
      idParams(alertId),
    );
    expect(res.status).toBe(200);
    // At once: the delayed job is gone the moment the request returns.
    expect(await critical.getJobState(jobId)).toBe('unknown');

    // Past the cancelled step's time (and a sweep or two): nothing more was sent.
    await new Promise((r) => setTimeout(r, 6000));
    expect(mailsTo('late@sink.test', alertId)).toHaveLength(0);
    const { rows } = await pool.query(
      `SELECT end_reason, next_step FROM alert_escalations WHERE alert_id = $1`,
      [alertId],
    );
    expect(rows[0]).toMatchObject({ end_reason: 'acknowledged', next_step: 1 });
    const audit = await pool.query(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [
      `alert:${alertId}`,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'escalation.step',
        'escalation.sent',
        'alert.acknowledge',
        'escalation.cancel',
      ]),
    );
  }, 60_000);

  it('retries a failing webhook, then shows it failed, while the e-mail goes out', async () => {
    const hook = await addWebhook('/down');
    receiver.answer('/down', 503);
    await setPolicy(pool, site.siteId, [
      {
        afterSeconds: 0,
        recipients: [{ kind: 'webhook', webhookId: hook.id }, { kind: 'site_supervisors' }],
      },
    ]);
    const alertId = await raiseSos(pool, queues, site.guardId);
    const mail = await waitFor(() => mailsTo(site.supervisorEmail, alertId)[0], {
      timeoutMs: 30_000,
      what: 'the e-mail',
    });
    const failed = await waitFor(
      async () => {
        const { rows } = await pool.query(
          `SELECT status, attempts, error FROM escalation_notifications WHERE alert_id = $1 AND channel = 'webhook'`,
          [alertId],
        );
        return rows[0]?.status === 'failed' ? rows[0] : null;
      },
      { timeoutMs: 40_000, what: 'the webhook to be marked failed' },
    );
    expect(failed.attempts).toBe(3);
    expect(failed.error).toContain('503');
    const calls = receiver.received.filter((r) => r.path === '/down' && r.body.includes(alertId));
    expect(calls).toHaveLength(3);
    // E-mail did not wait for the webhook's retries.
    expect(mail.receivedAt).toBeLessThan(calls[calls.length - 1]!.receivedAt);

    const res = await deliveriesRoute(
      routeRequest(`/api/admin/webhooks/deliveries?webhookId=${hook.id}`, { cookie: admin.cookie }),
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
      routeRequest(`/api/alerts/${alertId}/escalation`, { cookie: admin.cookie }),
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
    const hook = await addWebhook('/verify');
    await setPolicy(pool, site.siteId, [
      { afterSeconds: 0, recipients: [{ kind: 'webhook', webhookId: hook.id }] },
    ]);
    const alertId = await raiseSos(pool, queues, site.guardId);
    const call = await waitFor(
      () => receiver.received.find((r) => r.path === '/verify' && r.body.includes(alertId)),
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
      `https://watchfloor.example.test/api/alerts`,
      'http://169.254.169.254/latest/meta-data',
      'ftp://example.com/x',
    ]) {
      const res = await createWebhookRoute(
        routeRequest('/api/admin/webhooks', {
          method: 'POST',
          cookie: admin.cookie,
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
