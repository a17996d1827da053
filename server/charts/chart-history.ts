/**
 * How GET /api/charts reaches the web node's sampler: provided once at
 * start-up, like web-context, because Next route handlers cannot be handed
 * dependencies directly.
 */
import type { ChartHistoryDto } from '../../contract/charts';

const KEY = Symbol.for('watchfloor.chart-history');
type Holder = { [KEY]?: () => ChartHistoryDto };

/** Called by the web role when its sampler starts. */
export function provideChartHistory(history: () => ChartHistoryDto): void {
  (globalThis as Holder)[KEY] = history;
}

/** The history so far, or an empty one when no sampler runs in this process. */
export function chartHistory(): ChartHistoryDto {
  return (globalThis as Holder)[KEY]?.() ?? { intervalMs: 0, samples: [] };
}
