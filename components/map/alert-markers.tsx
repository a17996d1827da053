'use client';
/**
 * Unresolved alerts that carry a location, as DOM markers above the guards:
 * there are few of them, and a DOM pin can hold the severity shape and label.
 */
import { useMemo, useSyncExternalStore } from 'react';
import { divIcon } from 'leaflet';
import { Marker, Tooltip } from 'react-leaflet';
import { alertTypeLabel, SEVERITY_LABELS } from '@/components/alerts/alert-labels';
import type { AlertStore } from '@/components/alerts/alert-store';
import type { AlertDto } from '@/contract/alerts';

const NO_ALERTS: readonly AlertDto[] = [];

/** A pin per unresolved alert with a location. */
export function AlertMarkers({ alerts }: { alerts: AlertStore }) {
  const all = useSyncExternalStore(alerts.subscribe, alerts.getAlerts, () => NO_ALERTS);
  const located = all.filter((alert) => alert.location && alert.status !== 'resolved');
  return located.map((alert) => <AlertMarker key={alert.id} alert={alert} />);
}

function AlertMarker({ alert }: { alert: AlertDto }) {
  const icon = useMemo(
    () =>
      divIcon({
        className: '',
        // Built from fixed strings only: the alert's own message never goes into HTML.
        html: `<span class="wf-alert-pin wf-alert-pin--${alert.severity}${alert.status === 'open' ? ' wf-alert-pin--open' : ''}">!</span>`,
        iconSize: [26, 26],
        iconAnchor: [13, 13],
      }),
    [alert.severity, alert.status],
  );
  const { lat, lon } = alert.location!;
  return (
    <Marker position={[lat, lon]} icon={icon} keyboard={false} zIndexOffset={1000}>
      <Tooltip direction="top" offset={[0, -14]} className="wf-guard-tooltip">
        {`${SEVERITY_LABELS[alert.severity]} · ${alertTypeLabel(alert.type)}`}
      </Tooltip>
    </Marker>
  );
}
