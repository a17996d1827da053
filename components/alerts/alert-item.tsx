'use client';
/**
 * One alert in the feed: severity shape + word + colour, type, inert message
 * text, where and who, time since raised, and the lifecycle actions. The
 * message is rendered as a React text node, never as HTML.
 */
import { memo, useState, type FormEvent } from 'react';
import { formatAge } from '@/components/guards/guard-status';
import { useNow } from '@/components/time/use-now';
import type { AlertDto } from '@/contract/alerts';
import { acknowledge, resolve } from './alert-actions';
import { alertTypeLabel, SEVERITY_LABELS, STATUS_LABELS } from './alert-labels';
import { isPinned } from './alert-store';
import { SeverityIcon } from './severity-icon';
import { AlertEscalation } from '@/components/escalation/alert-escalation';
import { EscalatedBadge } from '@/components/escalation/escalated-badge';

interface AlertItemProps {
  alert: AlertDto;
  siteName: string | null;
  guardName: string | null;
  clockOffsetMs: number;
  /** Viewers and kiosks see the state but no buttons (the server refuses them too). */
  canAct: boolean;
  onShowGuard?(guardId: string): void;
  /** Position in a windowed list and its measuring ref (components/alerts/alert-list.tsx). */
  index?: number;
  measureRef?(element: HTMLLIElement | null): void;
}

/** Time of day, with the date in front when it was not today (history reaches back days). */
function clock(epochMs: number): string {
  const at = new Date(epochMs);
  const time = at.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  if (at.toDateString() === new Date().toDateString()) return time;
  return `${at.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}

export const AlertItem = memo(function AlertItem({
  alert,
  siteName,
  guardName,
  clockOffsetMs,
  canAct,
  onShowGuard,
  index,
  measureRef,
}: AlertItemProps) {
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [resolving, setResolving] = useState(false);
  const [reason, setReason] = useState('');
  const elapsed = now > 0 ? formatAge(now + clockOffsetMs - alert.raisedAt) : '';

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setResolving(false);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submitResolve = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) void run(() => resolve(alert.id, reason.trim()));
  };

  return (
    <li
      ref={measureRef}
      data-index={index}
      className={`wf-alert wf-alert--${alert.severity} wf-alert--${alert.status}${isPinned(alert) ? ' wf-alert--pinned' : ''}`}
      data-alert-id={alert.id}
      data-alert-type={alert.type}
      data-status={alert.status}
      data-severity={alert.severity}
    >
      <div className="wf-alert__head">
        <span className="wf-alert__sev">
          <SeverityIcon severity={alert.severity} />
          {SEVERITY_LABELS[alert.severity]}
        </span>
        <span className="wf-alert__type">{alertTypeLabel(alert.type)}</span>
        {isPinned(alert) && <span className="wf-alert__pin">Pinned</span>}
        {alert.stored === false && (
          <span
            className="wf-alert__pin"
            data-testid="not-stored"
            title="Storing this alert failed; an admin sees it under failed jobs"
          >
            Not stored
          </span>
        )}
        <EscalatedBadge alert={alert} />
        <span
          className="wf-alert__elapsed"
          title={`Raised ${new Date(alert.raisedAt).toISOString()}`}
        >
          {elapsed}
        </span>
      </div>
      {alert.message && <p className="wf-alert__message">{alert.message}</p>}
      <p className="wf-alert__meta">
        {siteName ?? 'No site'}
        {alert.guardId && (
          <>
            {' · '}
            <button
              type="button"
              className="wf-link"
              onClick={() => alert.guardId && onShowGuard?.(alert.guardId)}
            >
              {guardName ?? alert.guardId}
            </button>
          </>
        )}
        {' · '}raised {clock(alert.raisedAt)}
      </p>
      <p className="wf-alert__state" data-state={alert.status}>
        <span className={`wf-state wf-state--${alert.status}`}>{STATUS_LABELS[alert.status]}</span>
        {alert.acknowledgedBy && alert.acknowledgedAt && (
          <span className="wf-alert__who" data-testid="acknowledged-by">
            acknowledged by {alert.acknowledgedBy.name} at {clock(alert.acknowledgedAt)}
          </span>
        )}
        {alert.status === 'resolved' && alert.resolvedAt && (
          <span className="wf-alert__who" data-testid="resolved-by">
            {' · '}resolved by {alert.resolvedBy?.name ?? 'unknown'} at {clock(alert.resolvedAt)}
          </span>
        )}
      </p>
      {alert.status === 'resolved' && alert.resolution && (
        <p className="wf-alert__reason" data-testid="resolution">
          <span className="wf-alert__reason-label">Reason</span> {alert.resolution}
        </p>
      )}
      <AlertEscalation alert={alert} />
      {/* An alert that was not stored has no row to acknowledge or resolve. */}
      {canAct && alert.status !== 'resolved' && alert.stored !== false && (
        <div className="wf-alert__actions">
          {alert.status === 'open' && (
            <button
              type="button"
              className="wf-button wf-button--primary"
              disabled={busy}
              onClick={() => void run(() => acknowledge(alert.id))}
            >
              Acknowledge
            </button>
          )}
          {!resolving ? (
            <button
              type="button"
              className="wf-button"
              disabled={busy}
              onClick={() => setResolving(true)}
            >
              Resolve…
            </button>
          ) : (
            <form className="wf-resolve" onSubmit={submitResolve}>
              <label className="wf-visually-hidden" htmlFor={`reason-${alert.id}`}>
                Reason for resolving
              </label>
              <input
                id={`reason-${alert.id}`}
                className="wf-input"
                placeholder="Reason (required)"
                value={reason}
                maxLength={2000}
                required
                autoFocus
                onChange={(event) => setReason(event.target.value)}
              />
              <button
                type="submit"
                className="wf-button wf-button--primary"
                disabled={busy || !reason.trim()}
              >
                Resolve
              </button>
              <button type="button" className="wf-button" onClick={() => setResolving(false)}>
                Cancel
              </button>
            </form>
          )}
        </div>
      )}
      {error && (
        <p className="wf-alert__error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
});
