/** Circuit breakers as every worker process reports them. */
import type { BreakerDto } from '@/contract/commands';
import { formatTime } from './format';

const LABELS: Record<BreakerDto['state'], string> = {
  closed: 'Closed',
  open: 'Open',
  half_open: 'Half-open',
  isolated: 'Isolated',
};

/** One pill per breaker and process; an empty list says no worker reported one. */
export function BreakerStrip({ breakers }: { breakers: BreakerDto[] }) {
  if (breakers.length === 0) {
    return <p className="wf-admin-muted">No worker process has reported a breaker yet.</p>;
  }
  return (
    <ul className="wf-admin-breakers" aria-label="Circuit breakers">
      {breakers.map((b) => (
        <li
          key={`${b.name}|${b.owner}`}
          className={`wf-admin-breaker wf-admin-breaker--${b.state}`}
          data-breaker={b.name}
          data-state={b.state}
        >
          <span className="wf-admin-breaker__dot" aria-hidden="true" />
          <span className="wf-admin-breaker__name">{b.name}</span>
          <strong>{LABELS[b.state]}</strong>
          <span className="wf-admin-muted">
            since {formatTime(b.since)} · {b.owner} · opened {b.opens}×
            {b.failuresToOpen !== null ? ` (after ${b.failuresToOpen} failures)` : ''}
          </span>
          {b.lastFailure && b.state !== 'closed' && (
            <span className="wf-admin-muted" title={b.lastFailure}>
              last failure: {b.lastFailure}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
