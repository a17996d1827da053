/**
 * send_escalation_email: one notification, one e-mail. Sent only while the
 * notification is pending and the alert still open (acknowledging cancels
 * what has not gone yet). SMTP failures retry with the job's backoff; the
 * last attempt marks it failed. Without SMTP_URL it is recorded as skipped.
 */
import type pg from 'pg';
import { auditNotification, lastAttempt, openDelivery } from '../escalation/delivery';
import type { Mailer } from '../escalation/mailer';
import { loadContent } from '../escalation/notification-content';
import { finishNotification } from '../escalation/notifications';
import type { NotificationJob } from '../../contract/job-data';
import type { HandlerResult, JobMeta } from './types';

export interface EmailDeps {
  pool: pg.Pool;
  mailer: Mailer | null;
  publicUrl: string;
}

/** Creates the handler. */
export function createSendEscalationEmailHandler(deps: EmailDeps) {
  const { pool, mailer } = deps;
  return async function handle(job: NotificationJob, meta: JobMeta): Promise<HandlerResult> {
    const row = await openDelivery(pool, job);
    if (!row) return { outcome: 'duplicate', events: [] };
    if (!mailer) {
      await finishNotification(pool, row.id, 'skipped', 'SMTP_URL is not set');
      await auditNotification(pool, row, 'skipped', { error: 'SMTP_URL is not set' });
      return { outcome: 'stored', events: [] };
    }
    const content = await loadContent(pool, row, deps.publicUrl);
    if (!content) return { outcome: 'duplicate', events: [] };
    try {
      await mailer.send(row.recipient, content);
    } catch (error) {
      const message = (error as Error).message;
      if (!lastAttempt(meta)) throw error;
      await finishNotification(pool, row.id, 'failed', message);
      await auditNotification(pool, row, 'failed', { error: message.slice(0, 300) });
      return { outcome: 'stored', events: [] };
    }
    if (await finishNotification(pool, row.id, 'sent')) await auditNotification(pool, row, 'sent');
    return { outcome: 'stored', events: [] };
  };
}
