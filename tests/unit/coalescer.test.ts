import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GuardPositionDto } from '../../server/realtime/events';
import { createPositionCoalescer } from '../../server/realtime/coalescer';

const position = (guardId: string, siteId: string, fixAt: string, lat = 51): GuardPositionDto => ({
  guardId,
  siteId,
  lat,
  lon: 4,
  fixAt,
  accuracyM: 5,
  speedMps: null,
  headingDeg: null,
});

describe('position coalescer', () => {
  afterEach(() => vi.useRealTimers());

  it('sends one batch per room per interval with the latest fix per guard', () => {
    vi.useFakeTimers();
    const sent: [string, GuardPositionDto[]][] = [];
    const coalescer = createPositionCoalescer(
      (p) => `site:${p.siteId}`,
      200,
      (room, batch) => sent.push([room, batch]),
    );
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:01Z', 1));
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:02Z', 2));
    coalescer.add(position('g2', 'b', '2026-01-01T00:00:01Z'));
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(200);
    expect(sent).toHaveLength(2);
    expect(sent.find(([room]) => room === 'site:a')![1]).toEqual([
      position('g1', 'a', '2026-01-01T00:00:02Z', 2),
    ]);
    vi.advanceTimersByTime(200);
    expect(sent).toHaveLength(2);
    coalescer.stop();
  });

  it('keeps the newer fix when an older one arrives later', () => {
    vi.useFakeTimers();
    const sent: GuardPositionDto[][] = [];
    const coalescer = createPositionCoalescer(
      () => 'r',
      100,
      (_room, batch) => sent.push(batch),
    );
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:05Z', 5));
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:03Z', 3));
    coalescer.stop();
    expect(sent).toEqual([[position('g1', 'a', '2026-01-01T00:00:05Z', 5)]]);
  });
});
