/**
 * deliver_webhook: one notification, one signed POST, through the webhook's
 * circuit breaker. Every attempt is recorded (status, latency, response code);
 * a failure retries with the job's exponential backoff, and the last attempt
 * marks the notification failed. Each delivery is a job of its own (a retry
 * waits delayed, taking no worker slot), so a dead receiver never holds up an e-mail.
 */
import type pg from 'pg';
import { loadContent, webhookPayload } from '../escalation/notification-content';
import type { WebhookBreakers } from '../escalation/webhook-breakers';
import { postWebhook, WebhookHttpError } from '../escalation/webhook-sender';
import type { TargetPolicy } from '../escalation/webhook-target';
import { recordDelivery, webhookTarget } from '../escalation/webhooks';
import { deliverOnce, endNotification, lastAttempt, openDelivery } from '../escalation/delivery';
import type { NotificationJob } from '../../contract/job-data';
import type { HandlerResult, JobMeta } from './types';

export interface WebhookDeps {
  pool: pg.Pool;
  breakers: WebhookBreakers;
  policy: TargetPolicy;
  publicUrl: string;
  now?: () => number;
}

/** Creates the handler. */
export function createDeliverWebhookHandler(deps: WebhookDeps) {
  const { pool, breakers, policy, now = Date.now } = deps;
  return (job: NotificationJob, meta: JobMeta): Promise<HandlerResult> =>
    deliverOnce(pool, job, meta, async (accepted) => {
      const row = await openDelivery(pool, job);
      if (!row) return { outcome: 'duplicate', events: [] };
      const target = row.webhook_id ? await webhookTarget(pool, row.webhook_id) : null;
      if (!target || !target.enabled) {
        await endNotification(pool, row.id, 'skipped', 'webhook deleted or disabled');
        return { outcome: 'stored', events: [] };
      }
      const content = await loadContent(pool, row, deps.publicUrl);
      if (!content) return { outcome: 'duplicate', events: [] };
      const body = JSON.stringify(webhookPayload(content, now()));

      const started = now();
      let statusCode: number | null = null;
      let failure: Error | null = null;
      try {
        const answer = await breakers
          .forWebhook(target)
          .execute((signal) =>
            postWebhook(
              { url: target.url, secret: target.secret, deliveryId: row.id, body },
              policy,
              signal,
            ),
          );
        statusCode = answer.statusCode;
        accepted();
      } catch (error) {
        failure = error as Error;
        if (error instanceof WebhookHttpError) statusCode = error.statusCode;
      }
      await recordDelivery(pool, {
        webhookId: target.id,
        notificationId: row.id,
        alertId: row.alert_id,
        attempt: row.attempts,
        ok: !failure,
        statusCode,
        latencyMs: now() - started,
        error: failure?.message ?? null,
      });
      if (failure && !lastAttempt(meta)) throw failure;
      await endNotification(pool, row.id, failure ? 'failed' : 'sent', failure?.message ?? null, {
        statusCode,
      });
      return { outcome: 'stored', events: [] };
    });
}
