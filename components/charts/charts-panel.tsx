'use client';
/**
 * The operations charts: ingest by topic root, queue depth and throughput,
 * processing latency, rejections, and component health, over the server's
 * 15-minute window.
 */
import { FieldComponents } from '@/components/health/field-components';
import type { ComponentStore } from '@/components/health/component-store';
import type { LiveStore } from '@/components/realtime/live-store';
import type { ChartSampleDto } from '@/contract/charts';
import type { ChartStore } from './chart-store';
import { ProcessList } from './process-list';
import { seriesFor, TimeSeriesChart } from './time-series-chart';
import { useChartSamples } from './use-chart-samples';

function keysOf(
  samples: readonly ChartSampleDto[],
  pick: (s: ChartSampleDto) => Record<string, unknown>,
) {
  const keys = new Set<string>();
  for (const sample of samples) for (const key of Object.keys(pick(sample))) keys.add(key);
  return [...keys].sort();
}

const round = (n: number) => Math.round(n * 10) / 10;

interface ChartsPanelProps {
  charts: ChartStore;
  /** The field components listed under the server's own (components/health). */
  components: ComponentStore;
  store: LiveStore;
}

export function ChartsPanel({ charts, components, store }: ChartsPanelProps) {
  const samples = useChartSamples(charts);
  const roots = keysOf(samples, (s) => s.ingestPerSec);
  const queues = keysOf(samples, (s) => s.queues);
  const reasons = keysOf(samples, (s) => s.rejectedPerSec);
  const latest = samples[samples.length - 1];
  const row = (s: ChartSampleDto, values: Record<string, number | null>) => ({ t: s.t, ...values });

  return (
    <section className="wf-charts" aria-label="Operations charts">
      <HealthStrip sample={latest} />
      <ProcessList processes={latest?.processes ?? []} />
      <FieldComponents components={components} store={store} />
      <TimeSeriesChart
        title="Ingest"
        unit="msg/s by topic root"
        series={seriesFor(roots)}
        rows={samples.map((s) =>
          row(s, Object.fromEntries(roots.map((r) => [r, round(s.ingestPerSec[r] ?? 0)]))),
        )}
      />
      <TimeSeriesChart
        title="Queue depth"
        unit="jobs waiting"
        series={seriesFor(queues)}
        rows={samples.map((s) =>
          row(s, Object.fromEntries(queues.map((q) => [q, s.queues[q]?.depth ?? null]))),
        )}
      />
      <TimeSeriesChart
        title="Throughput"
        unit="jobs/s per queue"
        series={seriesFor(queues)}
        rows={samples.map((s) =>
          row(
            s,
            Object.fromEntries(queues.map((q) => [q, round(s.queues[q]?.completedPerSec ?? 0)])),
          ),
        )}
      />
      <TimeSeriesChart
        title="Processing latency"
        unit="ms, enqueued → committed"
        series={seriesFor(['p50', 'p95'])}
        rows={samples.map((s) =>
          row(s, {
            p50: s.latencyP50Ms === null ? null : round(s.latencyP50Ms),
            p95: s.latencyP95Ms === null ? null : round(s.latencyP95Ms),
          }),
        )}
      />
      <TimeSeriesChart
        title="Rejected"
        unit="msg/s by reason"
        series={seriesFor(reasons)}
        rows={samples.map((s) =>
          row(s, Object.fromEntries(reasons.map((r) => [r, round(s.rejectedPerSec[r] ?? 0)]))),
        )}
      />
      <TimeSeriesChart
        title="Event-loop lag"
        unit="ms p99 (web node)"
        series={seriesFor(['lag'])}
        rows={samples.map((s) => row(s, { lag: round(s.health.eventLoopLagMs) }))}
      />
    </section>
  );
}

function HealthStrip({ sample }: { sample: ChartSampleDto | undefined }) {
  const items: [string, boolean | null][] = sample
    ? [
        ['MQTT', sample.health.mqtt],
        ['Redis', sample.health.redis],
        ['PostgreSQL', sample.health.postgres],
        ['Workers', sample.health.workers],
      ]
    : [];
  return (
    <ul className="wf-health" aria-label="Server components">
      {items.map(([name, ok]) => (
        <li
          key={name}
          className={`wf-health__item wf-health__item--${ok === null ? 'unknown' : ok ? 'ok' : 'down'}`}
        >
          <span className="wf-status-dot" aria-hidden="true" />
          {name}
          <strong>{ok === null ? 'n/a' : ok ? 'OK' : 'DOWN'}</strong>
        </li>
      ))}
      {!sample && <li className="wf-health__item">Waiting for the first sample…</li>}
    </ul>
  );
}
