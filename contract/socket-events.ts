/**
 * The Socket.IO contract between the server and browsers: every event name
 * and the payload it carries.
 */
import type { AdminStatsDto, StorageDto } from './admin';
import type { AlertDto } from './alerts';
import type { ChartSampleDto } from './charts';
import type { CommandDeliveryDto, CommandDto } from './commands';
import type { DeviceStatusDto } from './devices';
import type { GuardPositionDto, GuardStatusDto } from './guards';
import type { ComponentHealthDto } from './health';
import type { SensorReadingDto } from './sensors';
import type { SnapshotDto } from './screen';

export const SERVER_EVENTS = {
  snapshot: 'snapshot',
  guardPositions: 'guard:positions',
  /** A new alert, or a change to one (acknowledged, resolved). */
  alert: 'alert:changed',
  guardStatus: 'guard:status',
  /** Coalesced: the latest status per device since the previous batch (FLEET_FLUSH_MS). */
  devicesStatus: 'devices:status',
  /** Coalesced: the latest reading per sensor since the previous batch (FLEET_FLUSH_MS). */
  sensorReadings: 'sensors:reading',
  componentHealth: 'component:health',
  /** A new sample of the dashboard charts, every CHART_SAMPLE_MS (not site-scoped). */
  chartSample: 'charts:sample',
  /** A device command changed state (queued, sent, acknowledged, failed): to its site's command room. */
  command: 'command:changed',
  /** A worker's command publisher opened or closed its breaker: to the commanders room. */
  commandDelivery: 'command:delivery',
  /** Route and queue statistics, every ADMIN_PUSH_MS, to the admin room only. */
  adminStats: 'admin:stats',
  /** Storage per table and partition with retention, every ADMIN_STORAGE_PUSH_MS, to the admin room. */
  adminStorage: 'admin:storage',
} as const;

export interface ServerToClientEvents {
  [SERVER_EVENTS.snapshot]: (snapshot: SnapshotDto) => void;
  /** Coalesced: the latest fix per guard since the previous batch. */
  [SERVER_EVENTS.guardPositions]: (positions: GuardPositionDto[]) => void;
  [SERVER_EVENTS.alert]: (alert: AlertDto) => void;
  [SERVER_EVENTS.guardStatus]: (status: GuardStatusDto) => void;
  [SERVER_EVENTS.devicesStatus]: (statuses: DeviceStatusDto[]) => void;
  [SERVER_EVENTS.sensorReadings]: (readings: SensorReadingDto[]) => void;
  /** To the component's site room (unassigned: admins only). */
  [SERVER_EVENTS.componentHealth]: (health: ComponentHealthDto) => void;
  [SERVER_EVENTS.chartSample]: (sample: ChartSampleDto) => void;
  [SERVER_EVENTS.command]: (command: CommandDto) => void;
  [SERVER_EVENTS.commandDelivery]: (delivery: CommandDeliveryDto) => void;
  [SERVER_EVENTS.adminStats]: (stats: AdminStatsDto) => void;
  [SERVER_EVENTS.adminStorage]: (storage: StorageDto) => void;
}

export type ClientToServerEvents = Record<string, never>;
