'use client';
/**
 * The takeover banner for a critical alert: it stays, with a running timer,
 * until someone acknowledges the alert. While it shows, the cue beeps every
 * few seconds unless this browser muted it. Used by the supervisor page and
 * (larger) by the wall display.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { formatAge } from '@/components/guards/guard-status';
import { useNow } from '@/components/time/use-now';
import type { LiveRoster, LiveStore } from '@/components/realtime/live-store';
import type { AlertDto } from '@/contract/alerts';
import { acknowledge } from './alert-actions';
import { alertTypeLabel, SEVERITY_LABELS } from './alert-labels';
import { beep, readMuted, subscribeMuted, writeMuted } from './critical-cue';
import { SeverityIcon } from './severity-icon';
import { EscalatedBadge } from '@/components/escalation/escalated-badge';
import { oldestOpenCritical } from './use-alerts';

const BEEP_EVERY_MS = 5000;

/** What the banner shows: the oldest open critical alert, named, and how many wait behind it. */
export function criticalTakeover(
  all: readonly AlertDto[],
  store: LiveStore,
  roster: LiveRoster,
): Omit<CriticalBannerProps, 'actions'> {
  const alert = oldestOpenCritical(all);
  const open = all.filter((a) => a.status === 'open' && a.severity === 'critical').length;
  return {
    alert,
    more: Math.max(0, open - 1),
    siteName: alert?.siteId ? (roster.siteNames.get(alert.siteId) ?? null) : null,
    guardName: alert?.guardId ? (store.getGuard(alert.guardId)?.name ?? null) : null,
    clockOffsetMs: roster.clockOffsetMs,
  };
}

interface CriticalBannerProps {
  alert: AlertDto | null;
  /** How many other critical alerts wait behind this one. */
  more: number;
  siteName: string | null;
  guardName: string | null;
  clockOffsetMs: number;
  /** The wall has no pointer: no buttons there. */
  actions: boolean;
}

export function CriticalBanner({
  alert,
  more,
  siteName,
  guardName,
  clockOffsetMs,
  actions,
}: CriticalBannerProps) {
  const now = useNow();
  const muted = useSyncExternalStore(subscribeMuted, readMuted, () => false);
  const [error, setError] = useState<string | null>(null);
  const alertId = alert?.id;
  useEffect(() => {
    if (!alertId || muted) return;
    beep();
    const timer = setInterval(beep, BEEP_EVERY_MS);
    return () => clearInterval(timer);
  }, [alertId, muted]);

  if (!alert) return null;
  const elapsed = now > 0 ? formatAge(now + clockOffsetMs - alert.raisedAt) : '';
  const toggleMute = () => writeMuted(!muted);
  return (
    <div className="wf-banner" role="alert" data-alert-id={alert.id} data-alert-type={alert.type}>
      <SeverityIcon severity="critical" size={32} />
      <div className="wf-banner__text">
        <strong className="wf-banner__title">
          {SEVERITY_LABELS.critical} · {alertTypeLabel(alert.type)}
          {guardName ? ` · ${guardName}` : ''} <EscalatedBadge alert={alert} />
        </strong>
        <span className="wf-banner__where">
          {siteName ?? 'No site'}
          {alert.message ? ` — ${alert.message}` : ''}
          {more > 0 ? ` (+${more} more critical)` : ''}
        </span>
      </div>
      <span className="wf-banner__timer" aria-label="Time since raised">
        {elapsed}
      </span>
      {actions && (
        <div className="wf-banner__actions">
          <button
            type="button"
            className="wf-button wf-button--light"
            onClick={() => {
              setError(null);
              acknowledge(alert.id).catch((err: Error) => setError(err.message));
            }}
          >
            Acknowledge
          </button>
          <button
            type="button"
            className="wf-button wf-button--ghost"
            aria-pressed={muted}
            onClick={toggleMute}
            title="Mute the alarm sound in this browser"
          >
            {muted ? 'Sound off' : 'Sound on'}
          </button>
        </div>
      )}
      {error && <span className="wf-banner__error">{error}</span>}
    </div>
  );
}
