/**
 * Geofence state with hysteresis, so GPS jitter along the fence does not flap:
 * a fix counts only when it is clearly on one side (farther from the boundary
 * than its own accuracy, and than a minimum margin), and the state changes
 * only after `confirmFixes` clear fixes in a row on the other side.
 */

export type GeofenceSide = 'inside' | 'outside';

export interface GeofenceState {
  /** The confirmed side; null until the first clear fix. */
  side: GeofenceSide | null;
  /** Clear fixes in a row on the other side. */
  strikes: number;
}

export interface GeofenceTransition<T> {
  kind: 'exit' | 'enter';
  /** The fix that confirmed it. */
  fix: T;
}

/**
 * Applies fixes, in fix-time order, to a guard's state. `sideOf` returns
 * null for a fix too close to the boundary to count either way.
 */
export function applyGeofenceFixes<T>(
  start: GeofenceState,
  fixes: T[],
  sideOf: (fix: T) => GeofenceSide | null,
  confirmFixes: number,
): { state: GeofenceState; transitions: GeofenceTransition<T>[] } {
  let { side, strikes } = start;
  const transitions: GeofenceTransition<T>[] = [];
  for (const fix of fixes) {
    const seen = sideOf(fix);
    if (seen === null) continue; // ambiguous: no evidence either way
    if (side === null) {
      side = seen; // first clear fix sets the state without an alert
      strikes = 0;
    } else if (seen === side) {
      strikes = 0;
    } else if (++strikes >= confirmFixes) {
      side = seen;
      strikes = 0;
      transitions.push({ kind: seen === 'outside' ? 'exit' : 'enter', fix });
    }
  }
  return { state: { side, strikes }, transitions };
}
