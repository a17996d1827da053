/**
 * escalate_alert: fires one step (or repeat) of an alert's escalation. It
 * claims the step's notifications by their unique key, so a second run (a
 * restart, a SIGKILL, a second worker, the sweeper) sends nothing twice, then
 * hands each to its own delivery job and schedules the next firing. An alert
 * no longer open fires nothing. A late firing records how late it is.
 */
import { UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import { getAlert } from '../alerts/queries';
import { recordAudit } from '../audit/audit-log';
import type { EscalateJob } from '../../contract/job-data';
import {
  scheduleDeliveries,
  scheduleFiring,
  type EscalationProducer,
} from '../escalation/escalation-scheduler';
import {
  advanceEscalation,
  endEscalation,
  getEscalation,
  markEscalated,
} from '../escalation/escalation-store';
import { claimNotifications } from '../escalation/notifications';
import { firings, nextFiring } from '../escalation/policy-schema';
import { stepsSchema } from '../../contract/escalation';
import { resolveRecipients } from '../escalation/recipients';
import { CHANNEL_EVENTS, type ChannelEvent } from '../realtime/channel-events';
import type { HandlerResult } from './types';

export interface EscalateDeps {
  pool: pg.Pool;
  producer: EscalationProducer;
  now?: () => number;
}

/** Creates the handler. */
export function createEscalateAlertHandler(deps: EscalateDeps) {
  const { pool, producer, now = Date.now } = deps;
  // The worker checked the job against its schema (contract/job-data.ts) before this runs.
  return async function handle(job: EscalateJob): Promise<HandlerResult> {
    const escalation = await getEscalation(pool, job.alertId);
    if (!escalation || escalation.ended_at) return { outcome: 'duplicate', events: [] };
    if (escalation.alert_status !== 'open') {
      // Acknowledged or resolved while this job waited: the acknowledging route ends it too.
      await endEscalation(pool, job.alertId, escalation.alert_status);
      return { outcome: 'duplicate', events: [] };
    }
    const steps = stepsSchema.parse(escalation.steps);
    const firing = firings(steps).find((f) => f.step === job.step && f.repeat === job.repeat);
    if (!firing) throw new UnrecoverableError(`no firing ${job.step}.${job.repeat} in this policy`);
    const startedAt = escalation.started_at.getTime();
    const dueAt = new Date(startedAt + firing.atSeconds * 1000);
    const lateMs = Math.max(0, now() - dueAt.getTime());

    const recipients = await resolveRecipients(
      pool,
      steps[job.step]!.recipients,
      escalation.site_id,
    );
    const claimed = await claimNotifications(pool, { ...job, dueAt, lateMs }, recipients);
    if (claimed.inserted > 0) {
      await recordAudit(pool, {
        actorId: null,
        actorLabel: 'escalation',
        action: 'escalation.step',
        target: `alert:${job.alertId}`,
        details: {
          step: job.step,
          repeat: job.repeat,
          lateMs,
          recipients: recipients.map((r) => r.label),
        },
      });
    }
    await scheduleDeliveries(producer, claimed.pending);

    const next = nextFiring(steps, job.step, job.repeat);
    const nextDue = next ? new Date(startedAt + next.atSeconds * 1000) : null;
    await advanceEscalation(
      pool,
      job.alertId,
      job,
      next && nextDue ? { step: next.step, repeat: next.repeat, dueAt: nextDue } : null,
    );
    if (next && nextDue) {
      await scheduleFiring(
        producer,
        { alertId: job.alertId, step: next.step, repeat: next.repeat },
        nextDue,
      );
    }

    const events: ChannelEvent[] = [];
    if (job.step > 0 && (await markEscalated(pool, job.alertId))) {
      const alert = await getAlert(pool, job.alertId);
      if (alert) events.push({ type: CHANNEL_EVENTS.alert, payload: alert });
    }
    return { outcome: claimed.inserted > 0 ? 'stored' : 'duplicate', events };
  };
}
