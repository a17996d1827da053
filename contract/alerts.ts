/** Alerts: their types, severities, lifecycle and the DTO screens show. */
import type { EpochMs } from './time';

/** Most urgent first. */
export const ALERT_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Alerts a device raises, one topic kind each (alert/<id>/<type>). */
export const DEVICE_ALERT_TYPES = [
  'sos',
  'man_down',
  'panic',
  'tamper',
  'intrusion',
  'fire',
  'medical',
] as const;
export type DeviceAlertType = (typeof DEVICE_ALERT_TYPES)[number];

/** Alerts the server derives from other messages (geofences, sensors, telemetry). */
export const DERIVED_ALERT_TYPES = [
  'sensor_threshold',
  'geofence_exit',
  'geofence_enter',
  'low_battery',
] as const;

export const ALERT_TYPES = [...DEVICE_ALERT_TYPES, ...DERIVED_ALERT_TYPES] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** The severity each alert type is raised at. */
export const ALERT_SEVERITY = {
  // Raised on a device.
  sos: 'critical',
  man_down: 'critical',
  panic: 'critical',
  fire: 'critical',
  intrusion: 'high',
  medical: 'high',
  tamper: 'medium',
  // Derived by handlers.
  sensor_threshold: 'critical',
  geofence_exit: 'high',
  geofence_enter: 'low',
  low_battery: 'medium',
} as const satisfies Record<AlertType, AlertSeverity>;

/** An alert as screens show it; `message` is inert text, to be rendered as text only. */
export interface AlertDto {
  id: string;
  type: AlertType;
  severity: AlertSeverity;
  status: AlertStatus;
  message: string | null;
  siteId: string | null;
  guardId: string | null;
  deviceId: string | null;
  sensorId: string | null;
  location: { lat: number; lon: number } | null;
  /** Epoch ms (as every time here): when the device (or rule) raised it. */
  raisedAt: EpochMs;
  receivedAt: EpochMs;
  acknowledgedAt: EpochMs | null;
  acknowledgedBy: { id: string; name: string } | null;
  resolvedAt: EpochMs | null;
  resolvedBy: { id: string; name: string } | null;
  resolution: string | null;
  /**
   * false: storing the alert failed for good (it waits in the failed set with
   * its error); pushed anyway so no SOS stays unseen, but it has no row to
   * acknowledge or resolve. Absent on stored alerts.
   */
  stored?: false;
  /** When a step of its escalation beyond the first fired (screens show "escalated"). */
  escalatedAt: EpochMs | null;
}
