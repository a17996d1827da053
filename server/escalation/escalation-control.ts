/**
 * Ending an alert's escalation from the web side (acknowledge, resolve): the
 * database first (so no worker sends anything more, whatever is queued), then
 * the delayed job of the next firing is removed so nothing wakes up for it.
 */
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import { escalateJobId } from './escalation-jobs';
import { endEscalation } from './escalation-store';
import type { EscalationEndReason } from '../../contract/escalation';

/** Ends it; returns the firing that was cancelled, or null when nothing was running. */
export async function stopEscalation(
  pool: pg.Pool,
  escalationQueue: Pick<Queue, 'remove'>,
  alertId: string,
  reason: Exclude<EscalationEndReason, 'completed'>,
  actor: { id: string } | null,
): Promise<{ step: number; repeat: number } | null> {
  const cancelled = await endEscalation(pool, alertId, reason);
  if (!cancelled) return null;
  await recordAudit(pool, {
    actorId: actor?.id ?? null,
    action: 'escalation.cancel',
    target: `alert:${alertId}`,
    details: { reason, nextStep: cancelled.step, nextRepeat: cancelled.repeat },
  });
  // A job already running (locked) cannot be removed; it finds the escalation ended and stops.
  await escalationQueue.remove(escalateJobId({ alertId, ...cancelled })).catch(() => 0);
  return cancelled;
}
