/**
 * An escalation test's world: a real SMTP sink and HTTP receiver on loopback,
 * the app (web and worker roles) in-process with fast retries and sweeps, a
 * site with a guard and supervisor, an admin, and the producer queues to
 * raise an SOS the way the ingest does. stop() removes all of it.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { POST as createWebhookRoute } from '../../app/api/admin/webhooks/route';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from '../../scripts/lib/webhook-receiver';
import { createLogger } from '../../server/logger';
import { createTaskQueues, type TaskQueues } from '../../server/queues/task-queues';
import {
  createEscalationSite,
  raiseSos,
  setPolicy,
  type EscalationSite,
} from './escalation-fixtures';
import { startTestApp, type TestApp } from './in-process-app';
import { routeRequest } from './route-request';
import { requireServiceUrls } from './services';
import { createTestUser, removeTestUsers, type TestUser } from './sessions';

/** Where notifications link to; a webhook to it is "this server". */
export const PUBLIC_URL = 'https://watchfloor.example.test';

export interface EscalationHarness {
  sink: SmtpSink;
  receiver: WebhookReceiver;
  app: TestApp;
  pool: pg.Pool;
  redis: Redis;
  queues: TaskQueues;
  site: EscalationSite;
  admin: TestUser;
  /**
   * Creates a webhook through the admin API, to the receiver's `path` unless
   * `url` says otherwise; its secret comes back this once.
   */
  addWebhook(path: string, url?: string): Promise<{ id: string; secret: string }>;
  /**
   * A webhook to `path` that answers `status`, a one-step policy to it and
   * the site's supervisors, and an SOS raised under it.
   */
  sosToFailingWebhook(path: string, status: number): Promise<{ hookId: string; alertId: string }>;
  /** E-mails the sink got for this address about this alert. */
  mailsTo(address: string, alertId: string): SmtpSink['mails'];
  stop(): Promise<void>;
}

/** Starts everything (`env` on top of the app's settings below); call stop() in afterAll. */
export async function startEscalationHarness(
  env: Record<string, string> = {},
): Promise<EscalationHarness> {
  const sink = await startSmtpSink();
  const receiver = await startWebhookReceiver();
  const app = await startTestApp({
    ROLES: 'web,worker',
    SMTP_URL: sink.url,
    // The receiver is on loopback: allowed by address, everything else internal stays blocked.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_ATTEMPTS: '3',
    WEBHOOK_BACKOFF_MS: '200',
    ESCALATION_SWEEP_MS: '1000',
    PUBLIC_URL,
    ...env,
  });
  const urls = requireServiceUrls();
  const pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 3 });
  const redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  const queues = createTaskQueues(redis, app.config.QUEUE_PREFIX, createLogger('silent'));
  const site = await createEscalationSite(pool);
  const admin = await createTestUser(pool, app.config, { role: 'admin' });
  const webhookIds: string[] = [];

  const addWebhook: EscalationHarness['addWebhook'] = async (path, url = receiver.url(path)) => {
    const res = await createWebhookRoute(
      routeRequest('/api/admin/webhooks', {
        method: 'POST',
        cookie: admin.cookie,
        body: { name: `hook ${path}`, url },
      }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { webhook: { id: string }; secret: string };
    webhookIds.push(body.webhook.id);
    return { id: body.webhook.id, secret: body.secret };
  };

  return {
    sink,
    receiver,
    app,
    pool,
    redis,
    queues,
    site,
    admin,
    addWebhook,
    async sosToFailingWebhook(path, status) {
      const hook = await addWebhook(path);
      receiver.answer(path, status);
      await setPolicy(pool, site.siteId, [
        {
          afterSeconds: 0,
          recipients: [{ kind: 'webhook', webhookId: hook.id }, { kind: 'site_supervisors' }],
        },
      ]);
      return { hookId: hook.id, alertId: await raiseSos(pool, queues, site.guardId) };
    },
    mailsTo: (address, alertId) =>
      sink.mails.filter((m) => m.to.includes(address) && m.raw.includes(alertId)),
    async stop() {
      await site.cleanup();
      await removeTestUsers(pool, [admin]);
      if (webhookIds.length)
        await pool.query(`DELETE FROM webhooks WHERE id = ANY($1::uuid[])`, [webhookIds]);
      await queues.close();
      redis.disconnect();
      await app.stop();
      await pool.end();
      await sink.close();
      await receiver.close();
    },
  };
}

/** Starts the harness before the file's tests and stops it after; its fields are set once started. */
export function escalationHarnessPerFile(env: Record<string, string> = {}): EscalationHarness {
  const h = {} as EscalationHarness;
  beforeAll(async () => {
    Object.assign(h, await startEscalationHarness(env));
  }, 60_000);
  afterAll(async () => {
    await h.stop?.();
  });
  return h;
}
