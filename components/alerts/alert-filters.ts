/** The feed's filters and their ordering rule (pinned first, then newest first). */
import {
  ALERT_SEVERITIES,
  type AlertDto,
  type AlertSeverity,
  type AlertStatus,
} from '@/contract/alerts';
import { isPinned } from './alert-store';

export interface AlertFilter {
  severities: ReadonlySet<AlertSeverity>;
  /** Empty: every site. */
  siteId: string | null;
  /** 'active': open or acknowledged. */
  state: 'active' | AlertStatus | 'all';
}

export const DEFAULT_FILTER: AlertFilter = {
  severities: new Set<AlertSeverity>(ALERT_SEVERITIES),
  siteId: null,
  state: 'active',
};

function matches(alert: AlertDto, filter: AlertFilter): boolean {
  if (!filter.severities.has(alert.severity)) return false;
  if (filter.siteId && alert.siteId !== filter.siteId) return false;
  if (filter.state === 'all') return true;
  if (filter.state === 'active') return alert.status !== 'resolved';
  return alert.status === filter.state;
}

/**
 * Alerts to show: SOS and man-down alerts not yet acknowledged are pinned on
 * top whatever the filter says (they must never be filtered out of sight);
 * then the filtered rest, newest first.
 */
export function visibleAlerts(all: readonly AlertDto[], filter: AlertFilter): AlertDto[] {
  const pinned = all.filter(isPinned);
  const rest = all.filter((alert) => !isPinned(alert) && matches(alert, filter));
  return [...pinned, ...rest];
}
