/**
 * The charts' samples in the browser: the server's 15-minute history (fetched
 * on every (re)connection) plus live samples, trimmed to the same window so a
 * wall display's memory stays flat for days.
 */
import { CHART_WINDOW_MS } from '@/contract/thresholds';
import type { ChartHistoryDto, ChartSampleDto } from '@/contract/charts';

type Listener = () => void;

export interface ChartStore {
  getSamples(): readonly ChartSampleDto[];
  subscribe(listener: Listener): () => void;
  applyHistory(history: ChartHistoryDto): void;
  applySample(sample: ChartSampleDto): void;
}

/** Creates an empty chart store. */
export function createChartStore(): ChartStore {
  let samples: readonly ChartSampleDto[] = [];
  const listeners = new Set<Listener>();
  const publish = (next: ChartSampleDto[]) => {
    const newest = next[next.length - 1]?.t ?? 0;
    samples = next.filter((sample) => sample.t > newest - CHART_WINDOW_MS);
    listeners.forEach((listener) => listener());
  };
  return {
    getSamples: () => samples,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    applyHistory(history) {
      // Merge: live samples that arrived while the history was in flight must not be lost.
      const byTime = new Map<number, ChartSampleDto>();
      for (const sample of [...history.samples, ...samples]) byTime.set(sample.t, sample);
      publish([...byTime.values()].sort((a, b) => a.t - b.t));
    },
    applySample(sample) {
      const last = samples[samples.length - 1];
      if (last && sample.t <= last.t) return;
      publish([...samples, sample]);
    },
  };
}

/** Loads the server's chart history; errors are the caller's to show. */
export async function fetchChartHistory(signal?: AbortSignal): Promise<ChartHistoryDto> {
  const response = await fetch('/api/charts', { signal, cache: 'no-store' });
  if (!response.ok) throw new Error(`charts: HTTP ${response.status}`);
  return (await response.json()) as ChartHistoryDto;
}
