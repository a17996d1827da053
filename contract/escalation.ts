/**
 * Escalation as screens and the API see it: a policy is ordered steps, each at
 * a time after the alert was raised, to recipients, optionally repeated while
 * nobody acknowledges (its schema is the body of PUT /api/admin/escalation);
 * an alert's timeline; webhooks and their deliveries.
 */
import type { EpochMs } from './time';
import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity } from './alerts';

export const RECIPIENT_KINDS = ['site_supervisors', 'admins', 'user', 'email', 'webhook'] as const;

export const recipientSchema = z.discriminatedUnion('kind', [
  /** Supervisors assigned to the alert's site (admins when the alert has no site). */
  z.strictObject({ kind: z.literal('site_supervisors') }),
  z.strictObject({ kind: z.literal('admins') }),
  z.strictObject({ kind: z.literal('user'), userId: z.uuid() }),
  z.strictObject({ kind: z.literal('email'), address: z.email().max(254) }),
  z.strictObject({ kind: z.literal('webhook'), webhookId: z.uuid() }),
]);

export type Recipient = z.infer<typeof recipientSchema>;

export const stepSchema = z
  .strictObject({
    afterSeconds: z.number().int().min(0).max(86_400),
    recipients: z.array(recipientSchema).min(1, 'name at least one recipient').max(20),
    repeatEverySeconds: z.number().int().min(30).max(86_400).optional(),
    repeatTimes: z.number().int().min(1).max(20).optional(),
  })
  .refine((s) => (s.repeatEverySeconds === undefined) === (s.repeatTimes === undefined), {
    message: 'repeatEverySeconds and repeatTimes go together',
  });

export type EscalationStep = z.infer<typeof stepSchema>;

export const stepsSchema = z
  .array(stepSchema)
  .min(1, 'a policy needs at least one step')
  .max(10)
  .refine(
    (steps) => steps.every((s, i) => i === 0 || s.afterSeconds > steps[i - 1]!.afterSeconds),
    {
      message: 'steps must be in order of time, each later than the one before',
    },
  );

/** The body of PUT /api/admin/escalation. */
export const policyInputSchema = z.strictObject({
  siteId: z.string().min(1).max(64).nullable(),
  severity: z.enum(ALERT_SEVERITIES),
  enabled: z.boolean().default(true),
  steps: stepsSchema,
});

export type PolicyInput = z.infer<typeof policyInputSchema>;

/** How an escalation step reaches a recipient. */
/** Why an escalation ended: a person acknowledged or resolved the alert, or its last step fired. */
export const ESCALATION_END_REASONS = ['acknowledged', 'resolved', 'completed'] as const;
export type EscalationEndReason = (typeof ESCALATION_END_REASONS)[number];

export const NOTIFICATION_CHANNELS = ['email', 'webhook'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** Where one notification of a timeline stands. */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'cancelled', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface TimelineEntryDto {
  id: string;
  step: number;
  repeat: number;
  channel: NotificationChannel;
  recipient: string;
  status: NotificationStatus;
  /** Times in epoch ms, as everywhere in the contract. */
  dueAt: EpochMs;
  firedAt: EpochMs;
  lateMs: number;
  sentAt: EpochMs | null;
  attempts: number;
  error: string | null;
}

export interface EscalationTimelineDto {
  alertId: string;
  /** null: no policy applied to this alert. */
  startedAt: EpochMs | null;
  steps: EscalationStep[];
  entries: TimelineEntryDto[];
  /** The firing that is due next (running), or that acknowledgement cancelled (ended). */
  next: { step: number; repeat: number; dueAt: EpochMs } | null;
  endedAt: EpochMs | null;
  endReason: EscalationEndReason | null;
  acknowledgedBy: { name: string; at: EpochMs } | null;
}

export interface PolicyDto {
  id: string;
  siteId: string | null;
  severity: AlertSeverity;
  enabled: boolean;
  steps: EscalationStep[];
  updatedAt: EpochMs;
  updatedBy: string | null;
}

export interface WebhookDto {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  createdAt: EpochMs;
  /** The latest delivery attempt, for the admin list. */
  lastDelivery: { at: EpochMs; ok: boolean; statusCode: number | null } | null;
}

export interface WebhookDeliveryDto {
  id: string;
  webhookId: string;
  webhookName: string;
  notificationId: string | null;
  alertId: string | null;
  attempt: number;
  at: EpochMs;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}
