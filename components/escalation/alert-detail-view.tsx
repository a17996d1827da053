'use client';
/**
 * `/alerts/<id>`: where an escalation e-mail's links lead. The alert (what,
 * who, where, since when), the acknowledge button, the way to the live map,
 * and the escalation timeline. Text from devices is rendered as text.
 */
import Link from 'next/link';
import { useState } from 'react';
import { acknowledge } from '@/components/alerts/alert-actions';
import { alertTypeLabel, SEVERITY_LABELS, STATUS_LABELS } from '@/components/alerts/alert-labels';
import { AppHeader } from '@/components/shell/app-header';
import { EscalatedBadge } from './escalated-badge';
import { EscalationTimeline } from './escalation-timeline';
import { useTimeline } from './use-timeline';

export function AlertDetailView({ alertId }: { alertId: string }) {
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const { alert, timeline, error } = useTimeline(alertId, String(version));

  const onAcknowledge = async () => {
    setBusy(true);
    setActionError(null);
    try {
      await acknowledge(alertId);
      setVersion((v) => v + 1);
    } catch (err) {
      setActionError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="wf-shell">
      <AppHeader screen="Alert">
        <Link className="wf-header__link" href="/" prefetch={false}>
          Live map
        </Link>
      </AppHeader>
      <main className="wf-alert-detail">
        {error && (
          <p className="wf-alert__error" role="alert">
            {error}
          </p>
        )}
        {!alert && !error && <p>Loading…</p>}
        {alert && (
          <article
            className={`wf-alert wf-alert--${alert.severity} wf-alert--${alert.status}`}
            data-alert-id={alert.id}
            data-status={alert.status}
          >
            <h1 className="wf-alert-detail__title">
              {SEVERITY_LABELS[alert.severity]} · {alertTypeLabel(alert.type)}{' '}
              <EscalatedBadge alert={alert} />
            </h1>
            {alert.message && <p className="wf-alert__message">{alert.message}</p>}
            <dl className="wf-alert-detail__facts">
              <dt>Status</dt>
              <dd data-testid="alert-status">{STATUS_LABELS[alert.status]}</dd>
              <dt>Raised</dt>
              <dd>{new Date(alert.raisedAt).toLocaleString()}</dd>
              <dt>Guard</dt>
              <dd>{alert.guardId ?? '—'}</dd>
              <dt>Where</dt>
              <dd>
                {alert.location
                  ? `${alert.location.lat.toFixed(5)}, ${alert.location.lon.toFixed(5)}`
                  : 'no position'}{' '}
                · <Link href="/">show on the live map</Link>
              </dd>
            </dl>
            {alert.status === 'open' && (
              <button
                type="button"
                className="wf-button wf-button--primary"
                disabled={busy}
                onClick={() => void onAcknowledge()}
              >
                Acknowledge
              </button>
            )}
            {actionError && (
              <p className="wf-alert__error" role="alert">
                {actionError}
              </p>
            )}
          </article>
        )}
        {timeline && (
          <section aria-label="Escalation">
            <h2 className="wf-alert-detail__subtitle">Who was told</h2>
            <EscalationTimeline timeline={timeline} />
          </section>
        )}
      </main>
    </div>
  );
}
