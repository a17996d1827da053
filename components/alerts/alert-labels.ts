/** Words for alerts: severity and type labels, so colour is never the only cue. */
import type { AlertSeverity, AlertStatus, AlertType } from '@/contract/alerts';

export const SEVERITY_LABELS: Record<AlertSeverity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const STATUS_LABELS: Record<AlertStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

const TYPE_LABELS: Record<AlertType, string> = {
  sos: 'SOS',
  man_down: 'Man down',
  panic: 'Panic',
  tamper: 'Tamper',
  intrusion: 'Intrusion',
  fire: 'Fire',
  medical: 'Medical',
  geofence_exit: 'Left geofence',
  geofence_enter: 'Entered geofence',
  sensor_threshold: 'Sensor threshold',
  low_battery: 'Low battery',
};

/** A readable name for an alert type, falling back to the raw type with spaces. */
export function alertTypeLabel(type: string): string {
  return TYPE_LABELS[type as AlertType] ?? type.replace(/_/g, ' ');
}
