import { GUARD_STATUS_LABELS, GUARD_STATUSES } from '@/components/guards/guard-status';

/** Key to the map's symbols, laid over its lower-left corner. */
export function MapLegend({ staleAfterMs }: { staleAfterMs: number }) {
  return (
    <ul className="wf-legend" aria-label="Map legend">
      {GUARD_STATUSES.map((status) => (
        <li key={status}>
          <span className={`wf-legend__swatch wf-legend__swatch--${status}`} aria-hidden="true" />
          {status === 'stale'
            ? `Stale (no fix ${Math.round(staleAfterMs / 1000)} s)`
            : GUARD_STATUS_LABELS[status]}
        </li>
      ))}
      <li>
        <span className="wf-legend__swatch wf-legend__swatch--fence" aria-hidden="true" />
        Geofence
      </li>
    </ul>
  );
}
