/**
 * The job data of the escalation tasks, and their job ids. Ids are
 * deterministic (alert + step + repeat, or the notification's id), so adding
 * the same firing twice (a sweeper, a restart, a second worker) is a no-op
 * while the job is in Redis; the notifications' unique key covers the rest.
 */
import { z } from 'zod';

/** escalate_alert: fire one step (or repeat) of an alert's escalation. */
export const escalateJobSchema = z.strictObject({
  alertId: z.uuid(),
  step: z.number().int().min(0).max(100),
  repeat: z.number().int().min(0).max(100),
});
export type EscalateJob = z.infer<typeof escalateJobSchema>;

/** send_escalation_email and deliver_webhook: one notification row, the source of truth. */
export const notificationJobSchema = z.strictObject({ notificationId: z.uuid() });
export type NotificationJob = z.infer<typeof notificationJobSchema>;

// BullMQ refuses ':' in custom ids.
/** The id of the job that fires (step, repeat) of an alert. */
export const escalateJobId = (job: EscalateJob) => `esc-${job.alertId}-${job.step}-${job.repeat}`;
/** The task that delivers a notification of this channel. */
export const deliveryTask = (channel: 'email' | 'webhook') =>
  channel === 'email' ? ('send_escalation_email' as const) : ('deliver_webhook' as const);
/** The id of the job that delivers one notification. */
export const notificationJobId = (channel: 'email' | 'webhook', notificationId: string) =>
  `${channel === 'email' ? 'mail' : 'hook'}-${notificationId}`;
