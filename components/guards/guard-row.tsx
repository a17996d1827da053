'use client';
import { memo } from 'react';
import type { AlertStore } from '@/components/alerts/alert-store';
import type { LiveStore } from '@/components/realtime/live-store';
import { useGuard } from '@/components/realtime/use-live-store';
import { useNow } from '@/components/time/use-now';
import { fixAgeMs, formatAge, GUARD_STATUS_LABELS, type StatusThresholds } from './guard-status';
import { useGuardStatus } from './use-guard-status';
import { formatInstant } from '@/components/time/format-instant';

interface GuardRowProps {
  store: LiveStore;
  alerts: AlertStore;
  guardId: string;
  /** From the roster: a guard's site can change with any fix, so the row looks its name up. */
  siteNames: ReadonlyMap<string, string>;
  clockOffsetMs: number;
  thresholds: StatusThresholds;
  selected: boolean;
  onSelect(guardId: string): void;
  /** 1-based place in the whole list, and its size: only part of the list is rendered. */
  position: number;
  setSize: number;
}

/**
 * One guard in the side panel, a button that opens the guard's details. The
 * data-* attributes carry the current fix so tests (and anyone in the
 * inspector) can read positions without the map.
 */
export const GuardRow = memo(function GuardRow({
  store,
  alerts,
  guardId,
  siteNames,
  clockOffsetMs,
  thresholds,
  selected,
  onSelect,
  position: place,
  setSize,
}: GuardRowProps) {
  const guard = useGuard(store, guardId);
  const now = useNow();
  const status = useGuardStatus(guard, alerts, clockOffsetMs, thresholds);
  if (!guard) return null;
  const position = guard.position;
  const siteName = guard.siteId ? siteNames.get(guard.siteId) : undefined;
  const known = now > 0;
  return (
    <li
      className={`wf-guard wf-guard--${status}${selected ? ' wf-guard--selected' : ''}`}
      aria-posinset={place}
      aria-setsize={setSize}
      data-guard-id={guard.id}
      data-site-id={guard.siteId ?? undefined}
      data-status={status}
      data-lat={position?.lat}
      data-lon={position?.lon}
      data-fix-at={position?.fixAt}
    >
      <button
        type="button"
        className="wf-guard__button"
        aria-pressed={selected}
        onClick={() => onSelect(guard.id)}
      >
        <span className="wf-status-dot" aria-hidden="true" />
        <span className="wf-guard__who">
          <span className="wf-guard__name">{guard.name}</span>
          <span className="wf-guard__site">{siteName ?? 'Unassigned'}</span>
        </span>
        <span className="wf-guard__fix">
          <span
            className="wf-guard__age"
            title={position ? `Last fix ${formatInstant(position.fixAt)}` : undefined}
          >
            {position && known ? formatAge(fixAgeMs(position, now, clockOffsetMs)) : '—'}
          </span>
          <span className="wf-guard__status">{GUARD_STATUS_LABELS[status]}</span>
        </span>
      </button>
    </li>
  );
});
