/**
 * A guard's status as every screen shows it (map marker, side panel, wall),
 * from its last fix, its device's last message, its duty status and its open
 * alerts, so all views always agree.
 */
import type { DutyStatus, GuardDto, GuardPositionDto } from '@/contract/guards';
import type { ScreenSettingsDto } from '@/contract/screen';

export type GuardStatus = 'sos' | 'patrol' | 'idle' | 'stale' | 'offline';

/** Most urgent first: the order of summaries and legends. */
export const GUARD_STATUSES: readonly GuardStatus[] = ['sos', 'offline', 'stale', 'idle', 'patrol'];

export const GUARD_STATUS_LABELS: Record<GuardStatus, string> = {
  sos: 'SOS',
  patrol: 'On patrol',
  idle: 'Idle',
  stale: 'Stale',
  offline: 'Offline',
};

export type StatusThresholds = Pick<ScreenSettingsDto, 'staleAfterMs' | 'offlineAfterMs'>;

/** Below this speed a guard on duty counts as standing still. */
const MOVING_MPS = 0.3;
const RESTING_DUTY: ReadonlySet<DutyStatus> = new Set<DutyStatus>(['break', 'off_duty']);

/** Milliseconds since the fix, on the server's clock (clockOffsetMs = server minus browser). */
export function fixAgeMs(
  position: Pick<GuardPositionDto, 'fixAt'>,
  nowMs: number,
  clockOffsetMs: number,
): number {
  // A device clock slightly ahead of ours must not show a negative age.
  return Math.max(0, nowMs + clockOffsetMs - position.fixAt);
}

type StatusInput = Pick<GuardDto, 'position' | 'lastSeenAt' | 'dutyStatus'>;

/** Server-clock ms of the latest sign of life (fix or any device message), or null. */
function lastHeardMs(guard: StatusInput): number | null {
  const fixAt = guard.position?.fixAt ?? null;
  if (fixAt === null) return guard.lastSeenAt;
  return guard.lastSeenAt === null ? fixAt : Math.max(fixAt, guard.lastSeenAt);
}

/** The status now; `sos` when the guard has an unresolved SOS-type alert. */
export function guardStatus(
  guard: StatusInput,
  sos: boolean,
  nowMs: number,
  clockOffsetMs: number,
  thresholds: StatusThresholds,
): GuardStatus {
  if (sos) return 'sos';
  const serverNow = nowMs + clockOffsetMs;
  const heard = lastHeardMs(guard);
  if (heard === null || serverNow - heard > thresholds.offlineAfterMs) return 'offline';
  const position = guard.position;
  if (!position || serverNow - position.fixAt > thresholds.staleAfterMs) return 'stale';
  if (guard.dutyStatus && RESTING_DUTY.has(guard.dutyStatus)) return 'idle';
  if (position.speedMps !== null && position.speedMps < MOVING_MPS) return 'idle';
  return 'patrol';
}

/** Browser-clock ms until the status would next change with no new data, or null if never. */
export function msUntilStatusChange(
  guard: StatusInput,
  nowMs: number,
  clockOffsetMs: number,
  thresholds: StatusThresholds,
): number | null {
  const serverNow = nowMs + clockOffsetMs;
  const candidates: number[] = [];
  const heard = lastHeardMs(guard);
  if (heard !== null) candidates.push(heard + thresholds.offlineAfterMs - serverNow);
  if (guard.position) {
    candidates.push(guard.position.fixAt + thresholds.staleAfterMs - serverNow);
  }
  const future = candidates.filter((ms) => ms >= 0);
  return future.length > 0 ? Math.min(...future) : null;
}

/** Compact age for a narrow column: "4 s", "2 m 05 s", "3 h 10 m", "2 d 4 h". */
export function formatAge(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The signal in the unit the device gave it: dBm, or a percentage (server/mqtt/payloads.ts). */
export function formatSignal({
  signalDbm,
  signalPercent,
}: {
  signalDbm: number | null;
  signalPercent: number | null;
}): string {
  if (signalDbm !== null) return `${signalDbm} dBm`;
  return signalPercent === null ? '—' : `${signalPercent} %`;
}
