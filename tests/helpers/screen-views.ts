/**
 * What a recorded screen (screen-recorder.ts) ends up showing, read the way
 * the browser's live store keeps it (components/realtime/live-store.ts: the
 * newest fix and the newest duty status per guard win, whatever their order
 * of arrival), and what it was sent more than once or out of order.
 */
import type { DutyStatus, GuardPositionDto } from '../../contract/guards';
import type { ScreenRecorder } from './screen-recorder';

/** The position per guard a screen shows at the end: the newest fix it received. */
export function lastPositions(
  screen: ScreenRecorder,
  guardIds: readonly string[],
): Map<string, GuardPositionDto> {
  const last = new Map<string, GuardPositionDto>();
  for (const { position: p } of screen.positions) {
    const shown = last.get(p.guardId);
    if (guardIds.includes(p.guardId) && (!shown || shown.fixAt <= p.fixAt)) last.set(p.guardId, p);
  }
  return last;
}

/** The duty status per guard a screen shows at the end, as `status@at`: the newest reported, snapshots' included. */
export function lastStatuses(
  screen: ScreenRecorder,
  guardIds: readonly string[],
): Map<string, string> {
  const newest = new Map<string, { status: DutyStatus; at: number }>();
  const offer = (guardId: string, status: DutyStatus | null, at: number | null) => {
    const shown = newest.get(guardId);
    if (!guardIds.includes(guardId) || status === null || at === null) return;
    if (!shown || shown.at <= at) newest.set(guardId, { status, at });
  };
  for (const snapshot of screen.snapshots) {
    for (const guard of snapshot.guards) offer(guard.id, guard.dutyStatus, guard.dutyStatusAt);
  }
  for (const s of screen.statuses) offer(s.guardId, s.dutyStatus, s.at);
  return new Map([...newest].map(([guardId, { status, at }]) => [guardId, `${status}@${at}`]));
}

/** Live fixes (not a snapshot's) that reached the screen more than once. */
export function fixesPushedTwice(screen: ScreenRecorder): number {
  const keys = screen.positions
    .filter((r) => !r.fromSnapshot)
    .map(({ position: p }) => `${p.guardId}@${p.fixAt}`);
  return keys.length - new Set(keys).size;
}

/**
 * Pushed fixes older than one pushed before them on the same connection. (A
 * snapshot may be newer than a fix already in a coalescer, and two web nodes'
 * coalescers are not ordered with each other: screens keep the newest.)
 */
export function regressions(screen: ScreenRecorder, connection: number): number {
  const newest = new Map<string, number>();
  let older = 0;
  for (const { position: p } of screen.positions.filter(
    (r) => r.connection === connection && !r.fromSnapshot,
  )) {
    const at = p.fixAt;
    if (at < (newest.get(p.guardId) ?? -Infinity)) older += 1;
    newest.set(p.guardId, Math.max(at, newest.get(p.guardId) ?? -Infinity));
  }
  return older;
}
