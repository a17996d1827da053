'use client';
/**
 * The control-room wall: every site on the map, the key figures, and a
 * takeover banner for a critical alert until someone acknowledges it. No
 * pointer needed; it reconnects and resyncs by itself, and every buffer it
 * holds is bounded, so it can run for days.
 */
import { CriticalBanner, criticalTakeover } from '@/components/alerts/critical-banner';
import { useAlerts } from '@/components/alerts/use-alerts';
import { LiveMapLoader } from '@/components/map/live-map-loader';
import { MapLegend } from '@/components/map/map-legend';
import { CONNECTION_LABELS } from '@/components/realtime/connection-status';
import { useRoster } from '@/components/realtime/use-live-store';
import { useLiveState } from '@/components/realtime/use-live-state';
import { ConnectionIndicator } from '@/components/shell/connection-indicator';
import { WallClock } from './wall-clock';
import { WallFigures } from './wall-figures';

export function WallView() {
  const { store, alerts, charts, components, fleet, status, detail } = useLiveState();
  const roster = useRoster(store);
  const all = useAlerts(alerts);
  const takeover = criticalTakeover(all, store, roster);
  const live = status === 'live';
  return (
    <div className={`wf-wall${takeover.alert ? ' wf-wall--critical' : ''}`}>
      <header className="wf-wall__header">
        <span className="wf-wall__brand">Watchfloor · Control room</span>
        <WallClock />
        <ConnectionIndicator status={status} detail={detail} />
      </header>
      {/* Always present (zero height when empty), so the map keeps the grid's last, 1fr row. */}
      <div className="wf-banner-slot">
        <CriticalBanner {...takeover} actions={false} />
      </div>
      <WallFigures
        store={store}
        alerts={alerts}
        charts={charts}
        components={components}
        fleet={fleet}
        live={live}
      />
      <section className="wf-wall__map" aria-label="All sites">
        <LiveMapLoader store={store} alerts={alerts} passive />
        <MapLegend staleAfterMs={roster.settings.staleAfterMs} />
        {status === 'signed-out' ? (
          <div className="wf-wall__stale" role="status">
            This wall&apos;s access has ended — figures are NOT live. Ask an admin for a new wall
            link.
          </div>
        ) : (
          roster.ready &&
          !live && (
            <div className="wf-wall__stale" role="status">
              {CONNECTION_LABELS[status]} — figures and positions are NOT live
            </div>
          )
        )}
      </section>
    </div>
  );
}
