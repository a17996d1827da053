import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatusDto } from '../../contract/devices';
import type { GuardPositionDto } from '../../contract/guards';
import type { SensorReadingDto } from '../../contract/sensors';
import {
  createDeviceStatusCoalescer,
  createPositionCoalescer,
  createSensorReadingCoalescer,
  type FlushBatch,
} from '../../server/realtime/coalescer';

type CreateCoalescer<T> = (
  roomOf: (update: T) => string,
  intervalMs: number,
  flush: FlushBatch<T>,
) => { add(update: T): void; stop(): void };

/** Fake timers, a coalescer whose updates all go to one room, and the batches it sent. */
function oneRoom<T>(create: CreateCoalescer<T>, intervalMs: number) {
  vi.useFakeTimers();
  const sent: T[][] = [];
  const coalescer = create(
    () => 'r',
    intervalMs,
    (_room, batch) => sent.push(batch),
  );
  return { coalescer, sent };
}

/** Fixtures read as ISO 8601; the objects carry epoch ms, as on the wire. */
const ms = (at: string | number) => (typeof at === 'number' ? at : Date.parse(at));

const position = (
  guardId: string,
  siteId: string,
  fixAt: string | number,
  lat = 51,
): GuardPositionDto => ({
  guardId,
  siteId,
  lat,
  lon: 4,
  fixAt: ms(fixAt),
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

  it('sends a quiet room its update at once, on the next turn of the event loop', () => {
    const { coalescer, sent } = oneRoom<GuardPositionDto>(createPositionCoalescer, 100);
    coalescer.add(position('g1', 'a', 1_000));
    coalescer.add(position('g2', 'a', 1_000));
    expect(sent).toHaveLength(0); // what arrives in the same turn stays one batch
    vi.advanceTimersByTime(0);
    expect(sent).toEqual([[position('g1', 'a', 1_000), position('g2', 'a', 1_000)]]);
    vi.advanceTimersByTime(150); // quiet again: the next update goes at once too
    coalescer.add(position('g1', 'a', 2_000));
    vi.advanceTimersByTime(0);
    expect(sent).toHaveLength(2);
    coalescer.stop();
  });

  it('sends a busy room at most one batch per interval, merging what arrives meanwhile', () => {
    const { coalescer, sent } = oneRoom<GuardPositionDto>(createPositionCoalescer, 100);
    const sentAt: number[] = [];
    for (let t = 0; t < 1_000; t += 5) {
      coalescer.add(position(`g${t % 40}`, 'a', 10_000 + t));
      const before = sent.length;
      vi.advanceTimersByTime(5);
      if (sent.length > before) sentAt.push(t);
    }
    coalescer.stop();
    // 200 updates in a second: the first at once, then one batch each interval.
    expect(sentAt.length).toBeGreaterThanOrEqual(9);
    expect(sentAt.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < sentAt.length; i++)
      expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(95);
    expect(sent.flat()).toHaveLength(new Set(sent.flat()).size);
    expect(sent.flat().length).toBeLessThan(200); // a guard's fixes within one interval merged
  });

  it('holds one busy room without delaying a quiet one', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const coalescer = createPositionCoalescer(
      (p) => p.siteId ?? 'none',
      100,
      (room) => sent.push(room),
    );
    coalescer.add(position('g1', 'busy', 1_000));
    vi.advanceTimersByTime(10);
    coalescer.add(position('g1', 'busy', 2_000)); // within the interval: held
    coalescer.add(position('g2', 'quiet', 1_000)); // first in its room: at once
    vi.advanceTimersByTime(0);
    expect(sent).toEqual(['busy', 'quiet']);
    vi.advanceTimersByTime(90);
    expect(sent).toEqual(['busy', 'quiet', 'busy']);
    coalescer.stop();
  });

  it('keeps the newer fix when an older one arrives later', () => {
    const { coalescer, sent } = oneRoom<GuardPositionDto>(createPositionCoalescer, 100);
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:05Z', 5));
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:03Z', 3));
    coalescer.stop();
    expect(sent).toEqual([[position('g1', 'a', '2026-01-01T00:00:05Z', 5)]]);
  });

  it('never sends a guard a fix older than one it already sent', () => {
    const { coalescer, sent } = oneRoom<GuardPositionDto>(createPositionCoalescer, 100);
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:05Z', 5));
    vi.advanceTimersByTime(100);
    // A late event (another web node's, taken over after it died) for an earlier fix.
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:04Z', 4));
    coalescer.add(position('g2', 'a', '2026-01-01T00:00:04Z', 4));
    vi.advanceTimersByTime(100);
    coalescer.add(position('g1', 'a', '2026-01-01T00:00:06Z', 6));
    coalescer.stop();
    expect(sent).toEqual([
      [position('g1', 'a', '2026-01-01T00:00:05Z', 5)],
      [position('g2', 'a', '2026-01-01T00:00:04Z', 4)],
      [position('g1', 'a', '2026-01-01T00:00:06Z', 6)],
    ]);
  });

  it('keeps the newest fix by numeric time, where the digits as text would order it wrong', () => {
    const { coalescer, sent } = oneRoom<GuardPositionDto>(createPositionCoalescer, 100);
    // As strings '9999' > '10000' and '100000' < '99999': only a number comparison gets these right.
    coalescer.add(position('g1', 'a', 10_000, 1));
    coalescer.add(position('g1', 'a', 9_999, 2));
    coalescer.add(position('g2', 'a', 99_999, 3));
    coalescer.add(position('g2', 'a', 100_000, 4));
    vi.advanceTimersByTime(100);
    coalescer.add(position('g1', 'a', 9_999, 5)); // older than the one sent: dropped
    coalescer.stop();
    expect(sent).toEqual([[position('g1', 'a', 10_000, 1), position('g2', 'a', 100_000, 4)]]);
    expect(sent.flat().every((p) => typeof p.fixAt === 'number')).toBe(true);
  });
});

describe('device status and sensor reading coalescers', () => {
  afterEach(() => vi.useRealTimers());

  const status = (deviceId: string, battery: number, lastSeenAt: string): DeviceStatusDto => ({
    deviceId,
    guardId: null,
    siteId: 'a',
    battery,
    signalDbm: null,
    signalPercent: 70,
    charging: null,
    lastSeenAt: ms(lastSeenAt),
  });
  const reading = (sensorId: string, value: number, readAt: string): SensorReadingDto => ({
    sensorId,
    siteId: 'a',
    value,
    unit: '°C',
    readAt: ms(readAt),
    inAlarm: false,
  });

  it('sends the latest status per device, never one older than a status already sent', () => {
    const { coalescer, sent } = oneRoom<DeviceStatusDto>(createDeviceStatusCoalescer, 500);
    coalescer.add(status('d1', 50, '2026-01-01T00:00:10Z'));
    coalescer.add(status('d1', 49, '2026-01-01T00:00:20Z'));
    vi.advanceTimersByTime(500);
    coalescer.add(status('d1', 51, '2026-01-01T00:00:15.000Z')); // taken over late: dropped
    vi.advanceTimersByTime(500);
    coalescer.stop();
    expect(sent).toEqual([[status('d1', 49, '2026-01-01T00:00:20Z')]]);
  });

  it('keeps the latest reading per sensor and drops one older than a reading already sent', () => {
    const { coalescer, sent } = oneRoom<SensorReadingDto>(createSensorReadingCoalescer, 500);
    coalescer.add(reading('s1', 21, '2026-01-01T00:00:10Z'));
    coalescer.add(reading('s2', 40, '2026-01-01T00:00:10Z'));
    coalescer.add(reading('s1', 22, '2026-01-01T00:00:20Z'));
    vi.advanceTimersByTime(500);
    coalescer.add(reading('s1', 20, '2026-01-01T00:00:05Z'));
    vi.advanceTimersByTime(500);
    coalescer.add(reading('s1', 23, '2026-01-01T00:00:30Z'));
    coalescer.stop();
    expect(sent).toEqual([
      [reading('s1', 22, '2026-01-01T00:00:20Z'), reading('s2', 40, '2026-01-01T00:00:10Z')],
      [reading('s1', 23, '2026-01-01T00:00:30Z')],
    ]);
  });
});
