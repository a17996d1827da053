/** Alert types and the severity each is raised at. */
import type { AlertSeverity } from '../realtime/events';

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
} as const satisfies Record<string, AlertSeverity>;

export type AlertType = keyof typeof ALERT_SEVERITY;
