/**
 * A device's last seen in SQL, for the lists and counts that judge devices online, stale or
 * offline: the newest of its telemetry (devices.last_seen_at), its guard's latest GPS fix
 * (guards.last_fix_at) and its own health report (component_health, component id = device id).
 * Screens apply the same rule live (fleet-rules.ts deviceLastSeen).
 */
import { msOf } from '../db/epoch-ms';

/** The joins the expressions below need, after `FROM devices d`. */
export const DEVICE_SEEN_JOINS = `
  LEFT JOIN guards g ON g.id = d.guard_id
  LEFT JOIN component_health ch ON ch.component = d.id`;

/** Each source's time in epoch ms, selected as telemetry_at, fix_at, health_at. */
export const DEVICE_SEEN_COLUMNS = `${msOf('d.last_seen_at')} AS telemetry_at,
  ${msOf('g.last_fix_at')} AS fix_at, ${msOf('ch.reported_at')} AS health_at`;

/** The newest of them; GREATEST skips NULLs and is NULL only when every source is. */
export const DEVICE_LAST_SEEN = `GREATEST(d.last_seen_at, g.last_fix_at, ch.reported_at)`;
