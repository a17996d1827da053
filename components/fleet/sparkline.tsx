/**
 * A sensor's last hour as a small SVG line (highest value per minute), with its
 * alarm threshold as a dashed line when the threshold falls in or near the range.
 */
import { SPARK_WINDOW_MS } from '@/contract/fleet-rules';

interface SparklineProps {
  points: readonly [number, number][];
  /** Server-clock now: the right edge. */
  endMs: number;
  threshold: number | null;
  alarm: boolean;
  width?: number;
  height?: number;
  label: string;
}

export function Sparkline({
  points,
  endMs,
  threshold,
  alarm,
  width = 120,
  height = 28,
  label,
}: SparklineProps) {
  if (points.length === 0) {
    return (
      <svg
        className="wf-spark wf-spark--empty"
        width={width}
        height={height}
        role="img"
        aria-label={`${label}: no readings in the last hour`}
      >
        <line x1={0} x2={width} y1={height - 1} y2={height - 1} />
      </svg>
    );
  }
  const values = points.map(([, v]) => v);
  let min = Math.min(...values);
  let max = Math.max(...values);
  // The threshold line only when it is within reach of the data: a CO2 alarm at 5,000 ppm
  // drawn against readings of 450..850 would flatten the line it is meant to explain.
  const showThreshold = threshold !== null && threshold <= max + (max - min || 1) * 2;
  if (showThreshold) {
    min = Math.min(min, threshold);
    max = Math.max(max, threshold);
  }
  const span = max - min || 1;
  const pad = 2;
  const x = (t: number) => ((t - (endMs - SPARK_WINDOW_MS)) / SPARK_WINDOW_MS) * width;
  const y = (v: number) => height - pad - ((v - min) / span) * (height - 2 * pad);
  const path = points
    .map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`)
    .join('');
  const [lastT, lastV] = points[points.length - 1]!;
  return (
    <svg
      className={`wf-spark${alarm ? ' wf-spark--alarm' : ''}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${label}: ${points.length} minutes of readings, from ${Math.min(...values)} to ${Math.max(...values)}`}
      data-points={points.length}
    >
      {showThreshold && (
        <line
          className="wf-spark__threshold"
          x1={0}
          x2={width}
          y1={y(threshold)}
          y2={y(threshold)}
        />
      )}
      <path className="wf-spark__line" d={path} />
      <circle className="wf-spark__last" cx={x(lastT)} cy={y(lastV)} r={2} />
    </svg>
  );
}
