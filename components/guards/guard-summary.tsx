'use client';
import type { AlertStore } from '@/components/alerts/alert-store';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { useNow } from '@/components/time/use-now';
import { GUARD_STATUS_LABELS, GUARD_STATUSES, guardStatus, type GuardStatus } from './guard-status';

/**
 * Counts per status over every guard, refreshed each second (and with the roster).
 * Not per position batch: with 2,000 guards that recounted every guard up to ten times a
 * second for numbers nobody reads faster than once a second.
 */
export function useStatusCounts(store: LiveStore, alerts: AlertStore): Record<GuardStatus, number> {
  const { guardIds, clockOffsetMs, settings } = useRoster(store);
  const now = useNow();
  const counts: Record<GuardStatus, number> = { sos: 0, patrol: 0, idle: 0, stale: 0, offline: 0 };
  if (now > 0) {
    const sos = alerts.getSosGuardIds();
    for (const id of guardIds) {
      const guard = store.getGuard(id);
      if (guard) counts[guardStatus(guard, sos.has(id), now, clockOffsetMs, settings)] += 1;
    }
  }
  return counts;
}

/** Status counts as a compact strip. */
export function GuardSummary({ store, alerts }: { store: LiveStore; alerts: AlertStore }) {
  const counts = useStatusCounts(store, alerts);
  return (
    <dl className="wf-summary">
      {GUARD_STATUSES.map((status) => (
        <div
          key={status}
          className={`wf-summary__item wf-summary__item--${status}`}
          data-summary={status}
        >
          <dt>{GUARD_STATUS_LABELS[status]}</dt>
          <dd>{counts[status]}</dd>
        </div>
      ))}
    </dl>
  );
}
