/**
 * What a soak's samples say: the trend of each series after the warm-up
 * (Theil-Sen slope: the median of the slopes between every pair of samples,
 * so a garbage collection or a noisy neighbour's burst moves it little) and
 * whether it stays within the soak's stated bound.
 */
import { quantile } from '../../server/metrics/quantile';

export interface Point {
  /** Seconds since the soak started. */
  t: number;
  value: number;
}

/** How a series is judged: memory must stay flat, a latency must not drift, or just reported. */
export type Bound =
  | { kind: 'flat'; maxPerHour: number }
  | { kind: 'no-drift'; minRise: number; maxRiseFraction: number }
  | { kind: 'report' };

export interface SeriesVerdict {
  name: string;
  unit: string;
  samples: number;
  first: number | null;
  last: number | null;
  median: number | null;
  /** Theil-Sen slope after the warm-up, in the series' unit per hour. */
  slopePerHour: number | null;
  /** The slope times the measured span: how much the trend line rose over the run. */
  riseOverRun: number | null;
  bound: Bound;
  /** The largest allowed slope (flat) or rise (no-drift); null when only reported. */
  limit: number | null;
  pass: boolean | null;
}

/** Past this many samples (a 4-hour run at 30 s) the slope is taken on evenly spaced ones. */
export const MAX_SLOPE_POINTS = 500;

/** Every k-th point so that at most `max` remain (pairs grow with the square). */
function thin(points: readonly Point[], max: number): readonly Point[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  return Array.from({ length: max }, (_, i) => points[Math.floor(i * step)]!);
}

/** The Theil-Sen slope per second of points; null with fewer than two distinct times. */
export function theilSen(all: readonly Point[]): number | null {
  const points = thin(all, MAX_SLOPE_POINTS);
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const dt = points[j]!.t - points[i]!.t;
      if (dt !== 0) slopes.push((points[j]!.value - points[i]!.value) / dt);
    }
  return median(slopes);
}

/** The median of values (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5, { interpolate: true });
}

const round = (n: number | null, digits = 2) =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

/** Judges one series on its samples taken after warmupS. */
export function judge(
  name: string,
  unit: string,
  points: readonly Point[],
  bound: Bound,
  warmupS: number,
): SeriesVerdict {
  const measured = points.filter((p) => p.t >= warmupS && Number.isFinite(p.value));
  const perSecond = theilSen(measured);
  const slopePerHour = perSecond === null ? null : perSecond * 3600;
  const span = measured.length > 1 ? measured[measured.length - 1]!.t - measured[0]!.t : 0;
  const riseOverRun = perSecond === null ? null : perSecond * span;
  const mid = median(measured.map((p) => p.value));
  let limit: number | null = null;
  let pass: boolean | null = null;
  if (bound.kind === 'flat') {
    limit = bound.maxPerHour;
    pass = slopePerHour !== null && slopePerHour <= bound.maxPerHour;
  } else if (bound.kind === 'no-drift') {
    limit = Math.max(bound.minRise, bound.maxRiseFraction * Math.abs(mid ?? 0));
    pass = riseOverRun !== null && riseOverRun <= limit;
  }
  return {
    name,
    unit,
    samples: measured.length,
    first: round(measured[0]?.value ?? null),
    last: round(measured[measured.length - 1]?.value ?? null),
    median: round(mid),
    slopePerHour: round(slopePerHour, 3),
    riseOverRun: round(riseOverRun),
    bound,
    limit: round(limit),
    pass,
  };
}
