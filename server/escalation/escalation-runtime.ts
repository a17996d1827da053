/**
 * Escalation inside the worker role: the mailer, the webhook breakers, the
 * three task handlers, the sweeper, and `kick` that schedules the first
 * firing of alerts just raised (the sweeper covers a kick that failed).
 */
import type { RedisClient } from '../redis';
import type pg from 'pg';
import type { Config } from '../config';
import { createDeliverWebhookHandler } from '../handlers/deliver-webhook';
import { createEscalateAlertHandler } from '../handlers/escalate-alert';
import { createSendEscalationEmailHandler } from '../handlers/send-escalation-email';
import type { TaskHandlers } from '../handlers/types';
import type { Logger } from '../logger';
import type { TaskQueues } from '../queues/task-queues';
import { publicUrl, webhookTargetPolicy } from './escalation-settings';
import { scheduleRunning, type EscalationProducer } from './escalation-scheduler';
import { startSweeper } from './escalation-sweeper';
import { createMailer } from './mailer';
import { createWebhookBreakers } from './webhook-breakers';

export interface EscalationRuntimeDeps {
  pool: pg.Pool;
  redis: RedisClient;
  queues: TaskQueues;
  logger: Logger;
}

/** Builds the handlers and starts the sweeper; stop() ends both. */
export function startEscalationRuntime(config: Config, deps: EscalationRuntimeDeps) {
  const { pool, logger } = deps;
  const producer: EscalationProducer = {
    queues: deps.queues,
    webhookAttempts: config.WEBHOOK_ATTEMPTS,
    webhookBackoffMs: config.WEBHOOK_BACKOFF_MS,
  };
  const mailer = createMailer({ url: config.SMTP_URL, from: config.SMTP_FROM });
  if (!mailer) logger.warn('SMTP_URL is not set: escalation e-mails are recorded as skipped');
  const breakers = createWebhookBreakers({
    failures: config.WEBHOOK_BREAKER_FAILURES,
    halfOpenMs: config.WEBHOOK_BREAKER_HALF_OPEN_MS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    redis: deps.redis,
    prefix: config.QUEUE_PREFIX,
    logger,
  });
  const links = publicUrl(config);
  const sweeper = startSweeper(pool, producer, config.ESCALATION_SWEEP_MS, logger);
  // Catch up at once: escalations due while no worker ran fire now, each saying how late.
  void scheduleRunning(pool, producer).catch((error: Error) =>
    logger.warn({ err: error.message }, 'escalation catch-up failed'),
  );

  return {
    handlers: {
      escalate_alert: createEscalateAlertHandler({ pool, producer }),
      send_escalation_email: createSendEscalationEmailHandler({ pool, mailer, publicUrl: links }),
      deliver_webhook: createDeliverWebhookHandler({
        pool,
        breakers,
        policy: webhookTargetPolicy(config),
        publicUrl: links,
      }),
    } satisfies Pick<TaskHandlers, 'escalate_alert' | 'send_escalation_email' | 'deliver_webhook'>,
    /** Schedules the first firing of these new alerts' escalations (none without a policy). */
    kick(alertIds: string[]): void {
      if (alertIds.length === 0) return;
      scheduleRunning(pool, producer, alertIds).catch((error: Error) =>
        logger.warn(
          { err: error.message, alertIds },
          'escalation start failed; the sweeper retries',
        ),
      );
    },
    async stop() {
      await sweeper.stop();
      await breakers.stop();
      mailer?.close();
    },
  };
}
