/** Day partitions and retention arithmetic: which day a time belongs to, and when a day may go. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { isMissingPartition, partitionName, utcDay } from '../../server/db/partitions';
import { dropDueAt, retentionPolicy } from '../../server/history/retention';

describe('day partitions', () => {
  it('puts a time in its UTC day, whatever the offset it was written with', () => {
    expect(utcDay('2026-11-30T23:59:59.999Z')).toBe('2026-11-30');
    expect(utcDay('2026-12-01T00:00:00.000Z')).toBe('2026-12-01');
    expect(utcDay('2026-12-01T00:30:00+01:00')).toBe('2026-11-30');
    expect(partitionName('guard_positions', '2026-12-01')).toBe('guard_positions_p20261201');
  });

  it('recognizes only PostgreSQL refusing a row for want of a partition', () => {
    const missing = Object.assign(
      new Error('no partition of relation "guard_positions" found for row'),
      {
        code: '23514',
      },
    );
    const check = Object.assign(new Error('new row violates check constraint "x"'), {
      code: '23514',
    });
    expect(isMissingPartition(missing)).toBe(true);
    expect(isMissingPartition(check)).toBe(false);
    expect(isMissingPartition(new Error('no partition of relation'))).toBe(false);
  });
});

describe('retention', () => {
  it('lets a day go once its last moment is older than the retention', () => {
    // 1 November's rows end at 2 November 00:00: 30 days later, on 2 December, all are past 30 days.
    expect(dropDueAt('2026-11-01', 30).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(dropDueAt('2026-12-04', 1).toISOString()).toBe('2026-12-06T00:00:00.000Z');
  });

  it('defaults to 30 days of positions, 90 of telemetry, readings and statuses, 14 of health', () => {
    const policy = retentionPolicy(loadConfig({}));
    expect(policy.partitions).toEqual({
      guard_positions: 30,
      device_telemetry: 90,
      sensor_readings: 90,
      guard_status_reports: 90,
      system_health_reports: 14,
    });
    expect(Math.min(...Object.values(policy.records))).toBeGreaterThan(90);
  });

  it('refuses a retention under one day, and under 30 days for alerts, commands and audit', () => {
    expect(() => loadConfig({ RETENTION_GUARD_POSITIONS_DAYS: '0' })).toThrow(
      /RETENTION_GUARD_POSITIONS_DAYS/,
    );
    expect(() => loadConfig({ RETENTION_AUDIT_LOG_DAYS: '7' })).toThrow(/RETENTION_AUDIT_LOG_DAYS/);
  });
});
