'use client';
import { useRef, type CSSProperties } from 'react';
import type { AlertStore } from '@/components/alerts/alert-store';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { GuardRow } from './guard-row';
import { GuardSummary } from './guard-summary';
import { useVisibleRows } from './use-visible-rows';

interface GuardPanelProps {
  store: LiveStore;
  alerts: AlertStore;
  selectedGuardId: string | null;
  onSelect(guardId: string): void;
}

/**
 * Every guard with site, last fix age and status; a row opens the guard's details.
 * Only the rows in view (and a margin) are rendered: with 2,000 guards, a row per
 * guard re-rendering with every fix and every second would stall the map.
 */
export function GuardPanel({ store, alerts, selectedGuardId, onSelect }: GuardPanelProps) {
  const roster = useRoster(store);
  const listRef = useRef<HTMLUListElement>(null);
  const count = roster.guardIds.length;
  const { start, end, rowPx } = useVisibleRows(listRef, count);
  return (
    <section className="wf-guards" aria-labelledby="wf-panel-title">
      <header className="wf-panel__header">
        <h2 id="wf-panel-title" className="wf-panel__title">
          Guards <span className="wf-panel__count">{roster.guardIds.length}</span>
        </h2>
        <GuardSummary store={store} alerts={alerts} />
      </header>
      {!roster.ready ? (
        <p className="wf-panel__empty">Waiting for the server…</p>
      ) : roster.guardIds.length === 0 ? (
        <p className="wf-panel__empty">No guards on duty.</p>
      ) : (
        <ul
          ref={listRef}
          className="wf-guard-list"
          aria-label="Guards"
          // The rows not rendered still take their room, so the scrollbar tells the truth.
          style={
            {
              '--wf-rows-before': `${start * rowPx}px`,
              '--wf-rows-after': `${(count - end) * rowPx}px`,
            } as CSSProperties
          }
        >
          {roster.guardIds.slice(start, end).map((id, offset) => (
            <GuardRow
              key={id}
              position={start + offset + 1}
              setSize={count}
              store={store}
              alerts={alerts}
              guardId={id}
              siteNames={roster.siteNames}
              clockOffsetMs={roster.clockOffsetMs}
              thresholds={roster.settings}
              selected={id === selectedGuardId}
              onSelect={onSelect}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
