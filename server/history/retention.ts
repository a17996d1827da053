/**
 * How long each kind of history is kept, read from the config in one place.
 * The partitioned history tables lose whole day partitions past their
 * retention; alerts, commands and the audit log keep theirs longer and lose
 * only rows that are finished with (resolved, acknowledged or failed), in
 * bounded batches, each purge logged and audited.
 */
import type { Config } from '../config';
import type { PartitionedTable } from '../db/partitions';

/** The other tables the maintenance job keeps within a retention. */
export type RecordTable = 'alerts' | 'device_commands' | 'audit_log';

export interface RetentionPolicy {
  partitions: Record<PartitionedTable, number>;
  records: Record<RecordTable, number>;
  /** Day partitions kept created ahead of today. */
  aheadDays: number;
}

/** The retention in force, in days, per table. */
export function retentionPolicy(config: Config): RetentionPolicy {
  return {
    partitions: {
      guard_positions: config.RETENTION_GUARD_POSITIONS_DAYS,
      device_telemetry: config.RETENTION_DEVICE_TELEMETRY_DAYS,
      sensor_readings: config.RETENTION_SENSOR_READINGS_DAYS,
      guard_status_reports: config.RETENTION_GUARD_STATUS_REPORTS_DAYS,
      system_health_reports: config.RETENTION_SYSTEM_HEALTH_REPORTS_DAYS,
    },
    records: {
      alerts: config.RETENTION_ALERTS_DAYS,
      device_commands: config.RETENTION_COMMANDS_DAYS,
      audit_log: config.RETENTION_AUDIT_LOG_DAYS,
    },
    aheadDays: config.PARTITIONS_AHEAD_DAYS,
  };
}

const DAY_MS = 86_400_000;

/**
 * When a day partition's rows have all passed the retention: the end of its day
 * plus the retention. The partition is dropped by the first maintenance run after.
 */
export function dropDueAt(day: string, retentionDays: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + (1 + retentionDays) * DAY_MS);
}
