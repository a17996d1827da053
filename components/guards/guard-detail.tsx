'use client';
/** The selected guard's card: who, where, device state, open alerts, recent path and device commands. */
import type { DutyStatus } from '@/contract/guards';
import { alertTypeLabel, SEVERITY_LABELS } from '@/components/alerts/alert-labels';
import type { AlertStore } from '@/components/alerts/alert-store';
import { SeverityIcon } from '@/components/alerts/severity-icon';
import { useAlerts } from '@/components/alerts/use-alerts';
import type { CommandStore } from '@/components/commands/command-store';
import { GuardCommands } from '@/components/commands/guard-commands';
import type { LiveStore } from '@/components/realtime/live-store';
import { useGuard, useRoster } from '@/components/realtime/use-live-store';
import { useNow } from '@/components/time/use-now';
import { fixAgeMs, formatAge, formatSignal, GUARD_STATUS_LABELS } from './guard-status';
import { useGuardStatus } from './use-guard-status';
import { pathLengthM } from './path-length';

interface GuardDetailProps {
  store: LiveStore;
  alerts: AlertStore;
  commands: CommandStore;
  guardId: string;
  onClose(): void;
}

const DUTY_LABELS: Record<DutyStatus, string> = {
  on_duty: 'On duty',
  patrolling: 'Patrolling',
  break: 'On break',
  off_duty: 'Off duty',
};

export function GuardDetail({ store, alerts, commands, guardId, onClose }: GuardDetailProps) {
  const guard = useGuard(store, guardId);
  const roster = useRoster(store);
  const now = useNow();
  const status = useGuardStatus(guard, alerts, roster.clockOffsetMs, roster.settings);
  const open = useAlerts(alerts).filter(
    (alert) => alert.guardId === guardId && alert.status !== 'resolved',
  );
  if (!guard) return null;
  const openSos = open.find((alert) => alert.type === 'sos' && alert.status === 'open') ?? null;
  const position = guard.position;
  const serverNow = now + roster.clockOffsetMs;
  const trail = now > 0 ? store.getTrail(guardId, serverNow) : [];
  const site = guard.siteId ? (roster.siteNames.get(guard.siteId) ?? guard.siteId) : 'Unassigned';
  const rows: [string, string][] = [
    ['Site', site],
    ['Status', GUARD_STATUS_LABELS[status]],
    ['Duty', guard.dutyStatus ? DUTY_LABELS[guard.dutyStatus] : '—'],
    ['Battery', guard.battery === null ? '—' : `${guard.battery} %`],
    ['Signal', formatSignal(guard)],
    [
      'Last fix',
      position && now > 0
        ? `${formatAge(fixAgeMs(position, now, roster.clockOffsetMs))} ago`
        : 'never',
    ],
    ['Speed', position?.speedMps == null ? '—' : `${(position.speedMps * 3.6).toFixed(1)} km/h`],
    ['Heading', position?.headingDeg == null ? '—' : `${Math.round(position.headingDeg)}°`],
    ['Accuracy', position ? `± ${Math.round(position.accuracyM)} m` : '—'],
    [
      'Last 10 min',
      trail.length >= 2
        ? `${Math.round(pathLengthM(trail))} m walked (trail on map)`
        : 'no recent path',
    ],
  ];
  return (
    <section
      className={`wf-detail wf-detail--${status}`}
      aria-labelledby="wf-detail-title"
      data-guard-detail={guardId}
    >
      <header className="wf-detail__header">
        <span className="wf-status-dot" aria-hidden="true" />
        <h2 id="wf-detail-title" className="wf-detail__title">
          {guard.name}
        </h2>
        <button
          type="button"
          className="wf-button wf-button--ghost"
          onClick={onClose}
          aria-label="Close guard details"
        >
          ✕
        </button>
      </header>
      <dl className="wf-detail__facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="wf-detail__subtitle">Open alerts</h3>
      {open.length === 0 ? (
        <p className="wf-detail__none">None</p>
      ) : (
        <ul className="wf-detail__alerts">
          {open.map((alert) => (
            <li key={alert.id} className={`wf-alert--${alert.severity}`}>
              <SeverityIcon severity={alert.severity} size={12} />
              {SEVERITY_LABELS[alert.severity]} · {alertTypeLabel(alert.type)} · {alert.status}
            </li>
          ))}
        </ul>
      )}
      {/* Viewers and wall kiosks get no actions (the API refuses them too). */}
      {roster.viewer?.canAct && (
        <GuardCommands store={commands} guardId={guardId} openSos={openSos} />
      )}
    </section>
  );
}
