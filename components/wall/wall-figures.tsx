'use client';
/** The wall's key figures, large enough to read from five metres. */
import { ALERT_SEVERITIES } from '@/contract/alerts';
import { SEVERITY_LABELS } from '@/components/alerts/alert-labels';
import type { AlertStore } from '@/components/alerts/alert-store';
import { SeverityIcon } from '@/components/alerts/severity-icon';
import { useAlerts } from '@/components/alerts/use-alerts';
import type { ChartStore } from '@/components/charts/chart-store';
import { useChartSamples } from '@/components/charts/use-chart-samples';
import { deviceCounts } from '@/components/fleet/device-filters';
import type { FleetStore } from '@/components/fleet/fleet-store';
import { useFleet } from '@/components/fleet/use-fleet';
import { formatAge } from '@/components/guards/guard-status';
import { countNeedingAttention } from '@/components/health/component-condition';
import type { ComponentStore } from '@/components/health/component-store';
import { useFieldComponents } from '@/components/health/use-field-components';
import { useStatusCounts } from '@/components/guards/guard-summary';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { useNow } from '@/components/time/use-now';

interface WallFiguresProps {
  store: LiveStore;
  alerts: AlertStore;
  charts: ChartStore;
  components: ComponentStore;
  fleet: FleetStore;
  live: boolean;
}

export function WallFigures({ store, alerts, charts, components, fleet, live }: WallFiguresProps) {
  const counts = useStatusCounts(store, alerts);
  const all = useAlerts(alerts);
  const samples = useChartSamples(charts);
  const { clockOffsetMs } = useRoster(store);
  const now = useNow();
  const fieldComponents = useFieldComponents(components);
  const degraded = now === 0 ? null : countNeedingAttention(fieldComponents, now + clockOffsetMs);
  const fleetView = useFleet(fleet);
  // The wall's own sites, judged as the devices tab judges them (not the fleet-wide chart figure).
  const devices =
    fleetView.ready && now > 0 ? deviceCounts(fleetView, now + fleetView.clockOffsetMs) : null;
  const latest = samples[samples.length - 1];
  const ingest = latest ? Object.values(latest.ingestPerSec).reduce((sum, n) => sum + n, 0) : null;
  const open = all.filter((alert) => alert.status === 'open');
  const bySeverity = Object.fromEntries(
    ALERT_SEVERITIES.map((s) => [s, open.filter((alert) => alert.severity === s).length]),
  );
  const oldest = open.reduce<number | null>((min, alert) => {
    const t = alert.raisedAt;
    return min === null || t < min ? t : min;
  }, null);
  const onDuty = counts.patrol + counts.idle + counts.sos + counts.stale;

  return (
    <dl className={`wf-figures${live ? '' : ' wf-figures--stale'}`}>
      <Figure
        id="on-duty"
        label="Guards on duty"
        value={String(onDuty)}
        note={`${counts.offline} offline`}
      />
      <div className="wf-figure wf-figure--alerts" data-figure="open-alerts">
        <dt>Open alerts</dt>
        <dd className="wf-figure__severities">
          {ALERT_SEVERITIES.map((severity) => (
            <span
              key={severity}
              className={`wf-figure__sev wf-figure__sev--${severity}`}
              title={SEVERITY_LABELS[severity]}
            >
              <SeverityIcon severity={severity} size={22} />
              <span className="wf-figure__sev-label">{SEVERITY_LABELS[severity]}</span>
              <strong data-severity-count={severity}>{bySeverity[severity]}</strong>
            </span>
          ))}
        </dd>
      </div>
      <Figure
        id="devices-offline"
        label="Devices offline"
        value={devices ? String(devices.offline) : '—'}
        note={devices ? `of ${fleetView.devices.size}` : undefined}
        warn={(devices?.offline ?? 0) > 0}
      />
      <Figure
        id="low-battery"
        label="Low battery"
        value={devices ? String(devices.low) : '—'}
        note={`≤ ${fleetView.lowBatteryPercent}%`}
        warn={(devices?.low ?? 0) > 0}
      />
      <Figure
        id="components-degraded"
        label="Components degraded"
        value={degraded === null ? '—' : String(degraded)}
        note={fieldComponents.length > 0 ? `of ${fieldComponents.length}` : 'none reporting'}
        warn={degraded !== null && degraded > 0}
      />
      <Figure
        id="ingest"
        label="Ingest"
        value={ingest === null ? '—' : `${Math.round(ingest)}`}
        note="msg/s"
      />
      <Figure
        id="oldest-unacked"
        label="Oldest unacknowledged"
        value={oldest === null || now === 0 ? 'none' : formatAge(now + clockOffsetMs - oldest)}
        warn={oldest !== null}
      />
    </dl>
  );
}

function Figure({
  id,
  label,
  value,
  note,
  warn,
}: {
  id: string;
  label: string;
  value: string;
  note?: string;
  warn?: boolean;
}) {
  return (
    <div className={`wf-figure${warn ? ' wf-figure--warn' : ''}`} data-figure={id}>
      <dt>{label}</dt>
      <dd>
        <span className="wf-figure__value">{value}</span>
        {note && <span className="wf-figure__note">{note}</span>}
      </dd>
    </div>
  );
}
