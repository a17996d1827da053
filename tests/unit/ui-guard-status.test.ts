import { describe, expect, it } from 'vitest';
import { guardStatus, msUntilStatusChange } from '../../components/guards/guard-status';
import type { GuardDto } from '../../contract/guards';
import { guardDto } from '../helpers/guard-dto';

const thresholds = { staleAfterMs: 60_000, offlineAfterMs: 300_000 };
const NOW = Date.parse('2026-11-28T10:00:00Z');

function guard(
  ageMs: number | null,
  extra: Partial<GuardDto> = {},
  speedMps: number | null = 1.2,
): GuardDto {
  const fixAt = ageMs === null ? null : NOW - ageMs;
  return guardDto('g1', {
    name: 'G',
    siteId: 's',
    lastSeenAt: fixAt,
    position:
      fixAt !== null
        ? {
            guardId: 'g1',
            siteId: 's',
            lat: 1,
            lon: 1,
            fixAt,
            accuracyM: 5,
            speedMps,
            headingDeg: 0,
          }
        : null,
    ...extra,
  });
}

describe('guard status', () => {
  it('shows a walking guard with a fresh fix as on patrol', () => {
    expect(guardStatus(guard(1000), false, NOW, 0, thresholds)).toBe('patrol');
  });

  it('shows a guard standing still, or on a break, as idle', () => {
    expect(guardStatus(guard(1000, {}, 0), false, NOW, 0, thresholds)).toBe('idle');
    expect(guardStatus(guard(1000, { dutyStatus: 'break' }), false, NOW, 0, thresholds)).toBe(
      'idle',
    );
  });

  it('turns stale after the stale threshold and offline after the offline threshold', () => {
    expect(guardStatus(guard(61_000), false, NOW, 0, thresholds)).toBe('stale');
    expect(guardStatus(guard(301_000), false, NOW, 0, thresholds)).toBe('offline');
  });

  it('keeps a guard whose device still talks stale, not offline, when only the fix is old', () => {
    const g = guard(400_000, { lastSeenAt: NOW - 10_000 });
    expect(guardStatus(g, false, NOW, 0, thresholds)).toBe('stale');
  });

  it('shows a guard never heard from as offline, and an SOS above everything', () => {
    expect(guardStatus(guard(null), false, NOW, 0, thresholds)).toBe('offline');
    expect(guardStatus(guard(400_000), true, NOW, 0, thresholds)).toBe('sos');
  });

  it('uses the server clock offset, not the browser clock alone', () => {
    // The browser runs 2 minutes behind the server: the fix is older than it looks locally.
    expect(guardStatus(guard(0), false, NOW - 120_000, 120_000, thresholds)).toBe('patrol');
    expect(guardStatus(guard(70_000), false, NOW - 120_000, 120_000, thresholds)).toBe('stale');
  });

  it('schedules the next re-check at the next threshold', () => {
    expect(msUntilStatusChange(guard(10_000), NOW, 0, thresholds)).toBe(50_000);
    expect(msUntilStatusChange(guard(100_000), NOW, 0, thresholds)).toBe(200_000);
    expect(msUntilStatusChange(guard(400_000), NOW, 0, thresholds)).toBeNull();
  });
});
