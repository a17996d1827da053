/**
 * What an escalation policy is: ordered steps, each at a time after the alert
 * was raised, to recipients, optionally repeated while nobody acknowledges.
 * `firings()` turns the steps into the one deterministic schedule every
 * worker computes alike, so a job id per firing names the same job everywhere.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../contract/alerts';

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

/** The body of PUT /api/admin/escalation/policies. */
export const policyInputSchema = z.strictObject({
  siteId: z.string().min(1).max(64).nullable(),
  severity: z.enum(ALERT_SEVERITIES),
  enabled: z.boolean().default(true),
  steps: stepsSchema,
});
export type PolicyInput = z.infer<typeof policyInputSchema>;

/** One firing of a step: step index, repeat number (0 = the step itself), seconds after raise. */
export interface Firing {
  step: number;
  repeat: number;
  atSeconds: number;
}

/** A step's repeats stop when the next step fires; the last step's run their full count. */
export function firings(steps: readonly EscalationStep[]): Firing[] {
  const out: Firing[] = [];
  steps.forEach((step, index) => {
    out.push({ step: index, repeat: 0, atSeconds: step.afterSeconds });
    const next = steps[index + 1]?.afterSeconds ?? Infinity;
    if (!step.repeatEverySeconds || !step.repeatTimes) return;
    for (let r = 1; r <= step.repeatTimes; r++) {
      const at = step.afterSeconds + r * step.repeatEverySeconds;
      if (at >= next) break;
      out.push({ step: index, repeat: r, atSeconds: at });
    }
  });
  return out;
}

/** The firing after (step, repeat), or null when that was the last. */
export function nextFiring(
  steps: readonly EscalationStep[],
  step: number,
  repeat: number,
): Firing | null {
  const all = firings(steps);
  const index = all.findIndex((f) => f.step === step && f.repeat === repeat);
  return index >= 0 ? (all[index + 1] ?? null) : null;
}
