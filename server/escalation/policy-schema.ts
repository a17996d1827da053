/**
 * A policy's steps (contract/escalation.ts: ordered, each at a time after the
 * alert was raised, optionally repeated while nobody acknowledges) as a schedule.
 * `firings()` turns the steps into the one deterministic schedule every
 * worker computes alike, so a job id per firing names the same job everywhere.
 */
import type { EscalationStep } from '../../contract/escalation';

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
