'use client';
/**
 * The alert feed: filters on top, the two newest pinned SOS alerts held in view
 * above the list, then the rest newest first in a windowed list (a bad night
 * leaves thousands open; only the cards in view are rendered).
 */
import { useState } from 'react';
import { ALERT_SEVERITIES, type AlertDto, type AlertSeverity } from '@/contract/alerts';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { DEFAULT_FILTER, visibleAlerts, type AlertFilter } from './alert-filters';
import { mergeAlerts } from './alert-history';
import { AlertItem } from './alert-item';
import { AlertList } from './alert-list';
import { SEVERITY_LABELS } from './alert-labels';
import { isPinned, type AlertStore } from './alert-store';
import { SeverityIcon } from './severity-icon';
import { useAlertHistory } from './use-alert-history';
import { useAlerts } from './use-alerts';

/**
 * Pinned alerts held above the scrolling list, always in view; more pinned
 * ones head the list below, so the strip never pushes the list off screen.
 */
const PINNED_IN_VIEW = 2;

interface AlertFeedProps {
  store: LiveStore;
  alerts: AlertStore;
  onShowGuard?(guardId: string): void;
}

export function AlertFeed({ store, alerts, onShowGuard }: AlertFeedProps) {
  const all = useAlerts(alerts);
  const roster = useRoster(store);
  const [filter, setFilter] = useState<AlertFilter>(DEFAULT_FILTER);
  const history = useAlertHistory(filter);
  const shown = visibleAlerts(mergeAlerts(all, history.alerts), filter);
  const pinnedCount = shown.findIndex((alert) => !isPinned(alert));
  const held = Math.min(pinnedCount === -1 ? shown.length : pinnedCount, PINNED_IN_VIEW);
  const pinnedInView = shown.slice(0, held);
  const scrolling = shown.slice(held);
  const morePinned = (pinnedCount === -1 ? shown.length : pinnedCount) - held;
  const card = (
    alert: AlertDto,
    index?: number,
    measureRef?: (el: HTMLLIElement | null) => void,
  ) => (
    <AlertItem
      key={alert.id}
      alert={alert}
      siteName={alert.siteId ? (roster.siteNames.get(alert.siteId) ?? alert.siteId) : null}
      guardName={alert.guardId ? (store.getGuard(alert.guardId)?.name ?? null) : null}
      clockOffsetMs={roster.clockOffsetMs}
      canAct={roster.viewer?.canAct ?? false}
      onShowGuard={onShowGuard}
      index={index}
      measureRef={measureRef}
    />
  );
  const toggleSeverity = (severity: AlertSeverity) =>
    setFilter((current) => {
      const severities = new Set(current.severities);
      if (severities.has(severity)) severities.delete(severity);
      else severities.add(severity);
      return { ...current, severities };
    });

  return (
    <section className="wf-feed" aria-labelledby="wf-feed-title">
      <h2 id="wf-feed-title" className="wf-visually-hidden">
        Alerts
      </h2>
      <div className="wf-feed__filters" role="group" aria-label="Alert filters">
        <div className="wf-chips">
          {ALERT_SEVERITIES.map((severity) => (
            <button
              key={severity}
              type="button"
              className={`wf-chip wf-chip--${severity}`}
              aria-pressed={filter.severities.has(severity)}
              onClick={() => toggleSeverity(severity)}
            >
              <SeverityIcon severity={severity} size={12} />
              {SEVERITY_LABELS[severity]}
            </button>
          ))}
        </div>
        <div className="wf-feed__selects">
          <label>
            <span className="wf-visually-hidden">Site</span>
            <select
              className="wf-select"
              value={filter.siteId ?? ''}
              onChange={(event) => setFilter({ ...filter, siteId: event.target.value || null })}
            >
              <option value="">All sites</option>
              {roster.sites.map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="wf-visually-hidden">State</span>
            <select
              className="wf-select"
              value={filter.state}
              onChange={(event) =>
                setFilter({ ...filter, state: event.target.value as AlertFilter['state'] })
              }
            >
              <option value="active">Open + acknowledged</option>
              <option value="open">Open</option>
              <option value="acknowledged">Acknowledged</option>
              <option value="resolved">Resolved</option>
              <option value="all">All</option>
            </select>
          </label>
        </div>
      </div>
      {shown.length === 0 ? (
        <p className="wf-panel__empty">
          {!roster.ready
            ? 'Waiting for the server…'
            : history.loading
              ? 'Loading history…'
              : 'No alerts match.'}
        </p>
      ) : (
        <>
          {pinnedInView.length > 0 && (
            <div className="wf-feed__pinned">
              <ul className="wf-alert-list" aria-label="Pinned alerts" aria-live="polite">
                {pinnedInView.map((alert) => card(alert))}
              </ul>
              {morePinned > 0 && (
                <p className="wf-feed__more-pinned">
                  {morePinned} more pinned {morePinned === 1 ? 'alert' : 'alerts'} at the top of the
                  list
                </p>
              )}
            </div>
          )}
          <AlertList alerts={scrolling} label="Alert feed" renderCard={card} />
          {(history.hasMore || (history.loading && shown.length > 0)) && (
            <div className="wf-feed__more">
              <button
                type="button"
                className="wf-button"
                disabled={history.loading}
                onClick={history.loadMore}
              >
                {history.loading ? 'Loading…' : 'Load older alerts'}
              </button>
            </div>
          )}
        </>
      )}
      {history.error && (
        <p className="wf-feed__error" role="alert">
          {history.error}
        </p>
      )}
    </section>
  );
}
