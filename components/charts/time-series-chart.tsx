'use client';
/** One small line chart over the 15-minute window, themed for the dark UI. */
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export interface Series {
  key: string;
  label: string;
  colour: string;
}

interface TimeSeriesChartProps {
  title: string;
  unit: string;
  rows: Record<string, number | null>[];
  series: Series[];
}

const PALETTE = ['#4cc3ff', '#34d399', '#f5a524', '#f472b6', '#c084fc', '#ff8a3d', '#a3e635'];

/** Colours for series in a stable order. */
export function seriesFor(keys: readonly string[], labels?: Record<string, string>): Series[] {
  return keys.map((key, i) => ({
    key,
    label: labels?.[key] ?? key,
    colour: PALETTE[i % PALETTE.length]!,
  }));
}

const timeOf = (t: number) =>
  new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export function TimeSeriesChart({ title, unit, rows, series }: TimeSeriesChartProps) {
  return (
    <figure className="wf-chart" data-chart={title}>
      <figcaption className="wf-chart__title">
        {title} <span className="wf-chart__unit">{unit}</span>
      </figcaption>
      <div className="wf-chart__plot">
        {rows.length === 0 ? (
          <p className="wf-chart__empty">Collecting samples…</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="#223141" strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                domain={['dataMin', 'dataMax']}
                tickFormatter={timeOf}
                stroke="#8797a8"
                fontSize={11}
                minTickGap={40}
              />
              <YAxis stroke="#8797a8" fontSize={11} allowDecimals={false} />
              <Tooltip
                labelFormatter={(t) => timeOf(Number(t))}
                contentStyle={{ background: '#172230', border: '1px solid #2f4357', fontSize: 12 }}
              />
              {series.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
              {series.map((s) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.colour}
                  dot={false}
                  strokeWidth={1.75}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
