'use client';
import type { AlertStore } from '@/components/alerts/alert-store';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { GuardRow } from './guard-row';
import { GuardSummary } from './guard-summary';

interface GuardPanelProps {
  store: LiveStore;
  alerts: AlertStore;
  selectedGuardId: string | null;
  onSelect(guardId: string): void;
}

/** Every guard with site, last fix age and status; a row opens the guard's details. */
export function GuardPanel({ store, alerts, selectedGuardId, onSelect }: GuardPanelProps) {
  const roster = useRoster(store);
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
        <ul className="wf-guard-list" aria-label="Guards">
          {roster.guardIds.map((id) => (
            <GuardRow
              key={id}
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
