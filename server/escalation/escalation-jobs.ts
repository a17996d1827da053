/**
 * The job ids of the escalation tasks (their job data is the contract's:
 * contract/job-data.ts). Ids are deterministic (alert + step + repeat, or the
 * notification's id), so adding the same firing twice (a sweeper, a restart,
 * a second worker) is a no-op while the job is in Redis; the notifications'
 * unique key covers the rest.
 */
import type { NotificationChannel } from '../../contract/escalation';
import type { EscalateJob } from '../../contract/job-data';

// BullMQ refuses ':' in custom ids.
/** The id of the job that fires (step, repeat) of an alert. */
export const escalateJobId = (job: EscalateJob) => `esc-${job.alertId}-${job.step}-${job.repeat}`;
/** The task that delivers a notification of this channel. */
export const deliveryTask = (channel: NotificationChannel) =>
  channel === 'email' ? ('send_escalation_email' as const) : ('deliver_webhook' as const);
/** The id of the job that delivers one notification. */
export const notificationJobId = (channel: NotificationChannel, notificationId: string) =>
  `${channel === 'email' ? 'mail' : 'hook'}-${notificationId}`;
