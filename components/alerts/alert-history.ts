/**
 * The feed's history: pages of past alerts from GET /api/alerts for the
 * "Resolved" and "All" filters (the live snapshot carries open alerts only),
 * and the rule that merges them with the live store without duplicates.
 */
import type { AlertDto } from '@/contract/alerts';
import type { AlertFilter } from './alert-filters';
import { lifecycleRank } from './alert-store';

/** Alerts per history page. */
export const HISTORY_PAGE_SIZE = 50;

export interface AlertHistoryPage {
  alerts: AlertDto[];
  nextCursor: string | null;
}

/** Whether the filter asks for alerts the live snapshot does not carry. */
export function needsHistory(filter: AlertFilter): boolean {
  return filter.state === 'resolved' || filter.state === 'all';
}

/** The query string of GET /api/alerts for the filter's first page. */
export function historyQuery(filter: AlertFilter): string {
  const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
  if (filter.state === 'resolved') query.set('status', 'resolved');
  query.set('severity', [...filter.severities].sort().join(','));
  if (filter.siteId) query.set('site', filter.siteId);
  return query.toString();
}

/** Loads one page of a historyQuery (the next one after `cursor`); errors carry the server's message. */
export async function fetchAlertHistory(
  query: string,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<AlertHistoryPage> {
  const page = cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query;
  const response = await fetch(`/api/alerts?${page}`, {
    signal,
    cache: 'no-store',
  });
  const data = (await response.json().catch(() => null)) as
    (AlertHistoryPage & { error?: { message?: string } }) | null;
  if (!response.ok || !data?.alerts) {
    throw new Error(data?.error?.message ?? `the server answered ${response.status}`);
  }
  return { alerts: data.alerts, nextCursor: data.nextCursor };
}

/**
 * Live alerts and loaded history as one list keyed by id, newest raised first.
 * The copy furthest along its lifecycle wins (a live resolve moves an alert
 * out of "open" even if a page loaded it open); on a tie the live one does.
 */
export function mergeAlerts(
  live: readonly AlertDto[],
  history: readonly AlertDto[],
): readonly AlertDto[] {
  if (history.length === 0) return live;
  const byId = new Map<string, AlertDto>();
  for (const alert of history) byId.set(alert.id, alert);
  for (const alert of live) {
    const loaded = byId.get(alert.id);
    if (!loaded || lifecycleRank(alert) >= lifecycleRank(loaded)) byId.set(alert.id, alert);
  }
  return [...byId.values()].sort((a, b) => b.raisedAt - a.raisedAt || b.id.localeCompare(a.id));
}
