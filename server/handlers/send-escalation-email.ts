/**
 * send_escalation_email: one notification, one e-mail. Sent only while the
 * notification is pending and the alert still open (acknowledging cancels
 * what has not gone yet). SMTP failures retry with the job's backoff; the
 * last attempt marks it failed, whatever failed (deliverOnce). Without
 * SMTP_URL it is recorded as skipped.
 */
import type pg from 'pg';
import { deliverOnce, endNotification, lastAttempt, openDelivery } from '../escalation/delivery';
import type { Mailer } from '../escalation/mailer';
import { loadContent } from '../escalation/notification-content';
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
  return (job: NotificationJob, meta: JobMeta): Promise<HandlerResult> =>
    deliverOnce(pool, job, meta, async (accepted) => {
      const row = await openDelivery(pool, job);
      if (!row) return { outcome: 'duplicate', events: [] };
      if (!mailer) {
        await endNotification(pool, row.id, 'skipped', 'SMTP_URL is not set');
        return { outcome: 'stored', events: [] };
      }
      const content = await loadContent(pool, row, deps.publicUrl);
      if (!content) return { outcome: 'duplicate', events: [] };
      try {
        await mailer.send(row.recipient, content);
      } catch (error) {
        if (!lastAttempt(meta)) throw error;
        await endNotification(pool, row.id, 'failed', (error as Error).message);
        return { outcome: 'stored', events: [] };
      }
      accepted();
      await endNotification(pool, row.id, 'sent');
      return { outcome: 'stored', events: [] };
    });
}
