import { describe, expect, it } from 'vitest';
import {
  addSparkPoint,
  compareDevices,
  deviceState,
  isLowBattery,
} from '../../contract/fleet-rules';

const thresholds = { staleAfterMs: 60_000, offlineAfterMs: 300_000 };
const now = Date.parse('2026-12-05T12:00:00Z');
const ago = (ms: number) => now - ms;

describe('fleet rules', () => {
  it('judges a device online, stale, offline by its last message, never heard: offline', () => {
    expect(deviceState({ lastSeenAt: ago(59_000) }, now, thresholds)).toBe('online');
    expect(deviceState({ lastSeenAt: ago(61_000) }, now, thresholds)).toBe('stale');
    expect(deviceState({ lastSeenAt: ago(301_000) }, now, thresholds)).toBe('offline');
    expect(deviceState({ lastSeenAt: null }, now, thresholds)).toBe('offline');
  });

  it('calls a battery low at the threshold, an unknown one never', () => {
    expect(isLowBattery(15, 15)).toBe(true);
    expect(isLowBattery(16, 15)).toBe(false);
    expect(isLowBattery(null, 15)).toBe(false);
  });

  it('sorts lowest battery first with unknown last, and longest silent first', () => {
    const devices = [
      { id: 'a', battery: 50, lastSeenAt: ago(1000) },
      { id: 'b', battery: null, lastSeenAt: null },
      { id: 'c', battery: 5, lastSeenAt: ago(5000) },
      { id: 'd', battery: 50, lastSeenAt: ago(9000) },
    ];
    expect([...devices].sort(compareDevices('battery')).map((d) => d.id)).toEqual([
      'c',
      'd',
      'a',
      'b',
    ]);
    expect([...devices].sort(compareDevices('silent')).map((d) => d.id)).toEqual([
      'b',
      'd',
      'c',
      'a',
    ]);
  });

  it('keeps the highest value per minute in a sparkline and drops what left the hour', () => {
    const minute = (n: number) => now - n * 60_000;
    let spark = addSparkPoint([], minute(90), 1, now);
    expect(spark).toEqual([]); // older than the hour
    spark = addSparkPoint(spark, minute(10), 20, now);
    spark = addSparkPoint(spark, minute(10) + 5_000, 70, now);
    spark = addSparkPoint(spark, minute(10) + 9_000, 30, now);
    spark = addSparkPoint(spark, minute(2), 25, now);
    spark = addSparkPoint(spark, minute(5), 22, now); // late, slots in order
    expect(spark.map(([, v]) => v)).toEqual([70, 22, 25]);
    expect(addSparkPoint(spark, minute(1), 1, now + 56 * 60_000).map(([, v]) => v)).toEqual([
      22, 25, 1,
    ]);
  });
});
