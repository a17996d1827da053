/** Facility sensors: their kinds, readings and the sensors list. */
import type { AlertStatus } from './alerts';
import type { EpochMs } from './time';

export const SENSOR_KINDS = [
  'temperature',
  'humidity',
  'smoke',
  'co2',
  'water_leak',
  'door',
  'motion',
  'glass_break',
] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];

/** A sensor's latest reading, as pushed live (batched, latest per sensor). */
export interface SensorReadingDto {
  sensorId: string;
  siteId: string | null;
  value: number;
  unit: string | null;
  readAt: EpochMs;
  inAlarm: boolean;
}

/** A sensor as the sensors tab and the map's sensor layer show it (GET /api/sensors). */
export interface SensorDto {
  id: string;
  kind: SensorKind;
  siteId: string | null;
  /** Where it is installed; null: not on the map. */
  location: { lat: number; lon: number } | null;
  lastValue: number | null;
  unit: string | null;
  lastReadAt: EpochMs | null;
  inAlarm: boolean;
  /** Its kind's alarm threshold (server/sensors/thresholds.ts); null: the kind never alarms. */
  threshold: { atOrAbove: number; clearBelow: number } | null;
  /** The latest threshold alert it raised, to link to; null when it never raised one. */
  alert: { id: string; status: AlertStatus; raisedAt: EpochMs } | null;
  /** The last hour from PostgreSQL: [start of the minute, highest value in it], oldest first. */
  spark: [EpochMs, number][];
}

/** GET /api/sensors. */
export interface SensorListDto {
  sensors: SensorDto[];
  serverTime: EpochMs;
}
