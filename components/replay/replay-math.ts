/** Pure helpers for history replay: where a guard was at a moment of its stored path. */
import type { GuardPathDto } from '@/contract/guards';

export type PathPoint = GuardPathDto['points'][number];

/** Index of the last point at or before t (binary search; -1 when t is before the path). */
export function lastIndexAtOrBefore(points: readonly PathPoint[], t: number): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]![0] <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The interpolated position at t, or null before the first point. */
export function positionAt(points: readonly PathPoint[], t: number): [number, number] | null {
  const i = lastIndexAtOrBefore(points, t);
  if (i < 0) return null;
  const a = points[i]!;
  const b = points[i + 1];
  if (!b || b[0] === a[0]) return [a[1], a[2]];
  const f = (t - a[0]) / (b[0] - a[0]);
  return [a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** The earliest and latest time over several paths, or null when all are empty. */
export function pathsTimeRange(paths: readonly GuardPathDto[]): [number, number] | null {
  const times = paths.flatMap((path) =>
    path.points.length > 0 ? [path.points[0]![0], path.points[path.points.length - 1]![0]] : [],
  );
  return times.length > 0 ? [Math.min(...times), Math.max(...times)] : null;
}
