import { describe, expect, it } from 'vitest';
import { firings, nextFiring } from '../../server/escalation/policy-schema';
import { policyInputSchema, stepsSchema } from '../../contract/escalation';
import { escalateJobId } from '../../server/escalation/escalation-jobs';

const sup = [{ kind: 'site_supervisors' as const }];

describe('escalation policy schedule', () => {
  it('repeats a step until the next one fires, and the last step its full count', () => {
    const steps = stepsSchema.parse([
      { afterSeconds: 0, recipients: sup, repeatEverySeconds: 30, repeatTimes: 5 },
      { afterSeconds: 60, recipients: sup },
      { afterSeconds: 180, recipients: sup, repeatEverySeconds: 300, repeatTimes: 2 },
    ]);
    expect(firings(steps).map((f) => `${f.step}.${f.repeat}@${f.atSeconds}`)).toEqual([
      '0.0@0',
      '0.1@30',
      '1.0@60',
      '2.0@180',
      '2.1@480',
      '2.2@780',
    ]);
    expect(nextFiring(steps, 0, 1)).toEqual({ step: 1, repeat: 0, atSeconds: 60 });
    expect(nextFiring(steps, 2, 2)).toBeNull();
  });

  it('names one job per alert, step and repeat, without the colon BullMQ refuses', () => {
    const id = escalateJobId({
      alertId: '7d9f0c1e-0000-4000-8000-000000000001',
      step: 2,
      repeat: 1,
    });
    expect(id).toBe('esc-7d9f0c1e-0000-4000-8000-000000000001-2-1');
    expect(id).not.toContain(':');
  });

  it('refuses steps out of order, a repeat without its count, and an empty recipient list', () => {
    const bad = [
      [
        { afterSeconds: 60, recipients: sup },
        { afterSeconds: 60, recipients: sup },
      ],
      [{ afterSeconds: 0, recipients: sup, repeatEverySeconds: 60 }],
      [{ afterSeconds: 0, recipients: [] }],
      [{ afterSeconds: 0, recipients: [{ kind: 'email', address: 'not-an-address' }] }],
    ];
    for (const steps of bad) expect(stepsSchema.safeParse(steps).success).toBe(false);
    expect(
      policyInputSchema.safeParse({
        siteId: null,
        severity: 'critical',
        steps: [{ afterSeconds: 0, recipients: sup }],
      }).success,
    ).toBe(true);
  });
});
