'use client';
/**
 * The supervisor screen: it owns the live connection and hands the stores to
 * the map and the side panel (alerts, guards, charts, replay), which each
 * subscribe to the slices they draw.
 */
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AlertFeed } from '@/components/alerts/alert-feed';
import { CriticalBanner, criticalTakeover } from '@/components/alerts/critical-banner';
import { useAlerts } from '@/components/alerts/use-alerts';
import { ChartsPanel } from '@/components/charts/charts-panel';
import { DevicesPanel } from '@/components/fleet/devices-panel';
import { SensorsPanel } from '@/components/fleet/sensors-panel';
import { GuardDetail } from '@/components/guards/guard-detail';
import { GuardPanel } from '@/components/guards/guard-panel';
import { LiveMapLoader } from '@/components/map/live-map-loader';
import { MapLegend } from '@/components/map/map-legend';
import { useRoster } from '@/components/realtime/use-live-store';
import { useLiveState } from '@/components/realtime/use-live-state';
import { ReplayPanel } from '@/components/replay/replay-panel';
import { useReplayPlayer } from '@/components/replay/use-replay-player';
import { AppHeader } from '@/components/shell/app-header';
import { ConnectionIndicator } from '@/components/shell/connection-indicator';
import { SideTabs, type TabDef } from './side-tabs';
import { useLinkedAlert } from './use-linked-alert';

type Tab = 'alerts' | 'guards' | 'devices' | 'sensors' | 'charts' | 'replay';

/** Header, banner, live map and side panel, fed by one Socket.IO connection. */
export function SupervisorView() {
  const { store, alerts, charts, commands, components, fleet, status, detail } = useLiveState();
  const roster = useRoster(store);
  const allAlerts = useAlerts(alerts);
  const [tab, setTab] = useState<Tab>('alerts');
  // undefined until someone picks (or closes) a guard: then the guard of a linked alert shows.
  const [picked, setPicked] = useState<string | null | undefined>(undefined);
  const linked = useLinkedAlert(allAlerts, store);
  const selected = picked === undefined ? (linked?.guardId ?? null) : picked;
  const [showSensors, setShowSensors] = useState(true);
  const player = useReplayPlayer();
  const takeover = criticalTakeover(allAlerts, store, roster);
  const router = useRouter();
  const activeCount = allAlerts.filter((a) => a.status !== 'resolved').length;
  const showGuard = useCallback((guardId: string) => setPicked(guardId), []);
  // The session ended (logout elsewhere, expiry, account disabled): back to the login,
  // which returns here, rather than a map that silently stopped updating.
  useEffect(() => {
    if (status !== 'signed-out') return;
    router.replace(`/login?next=${encodeURIComponent(window.location.pathname)}`);
  }, [status, router]);
  const replay = useMemo(
    () => (player.paths.length > 0 ? { paths: player.paths, cursorMs: player.cursorMs } : null),
    [player.paths, player.cursorMs],
  );

  const tabs: TabDef<Tab>[] = [
    {
      key: 'alerts' as const,
      label: (
        <>
          Alerts <span className="wf-badge">{activeCount}</span>
        </>
      ),
    },
    { key: 'guards' as const, label: 'Guards' },
    { key: 'devices' as const, label: 'Devices' },
    { key: 'sensors' as const, label: 'Sensors' },
    { key: 'charts' as const, label: 'Charts' },
    { key: 'replay' as const, label: 'Replay' },
  ];

  return (
    <div className="wf-shell wf-shell--banner">
      <AppHeader screen="Supervisor">
        <a className="wf-header__link" href="/wall">
          Wall display
        </a>
        <ConnectionIndicator status={status} detail={detail} />
      </AppHeader>
      <div className="wf-banner-slot">
        <CriticalBanner {...takeover} actions={roster.viewer?.canAct ?? false} />
      </div>
      <main className="wf-main">
        <section className="wf-map-area" aria-label="Live map">
          <LiveMapLoader
            store={store}
            alerts={alerts}
            selectedGuardId={selected}
            onSelectGuard={showGuard}
            replay={replay}
            sensors={showSensors ? fleet : null}
            focus={linked?.focus ?? null}
          />
          <label className="wf-map-toggle">
            <input
              type="checkbox"
              checked={showSensors}
              onChange={(event) => setShowSensors(event.target.checked)}
            />
            Sensors
          </label>
          <MapLegend staleAfterMs={roster.settings.staleAfterMs} />
          {selected && (
            <GuardDetail
              store={store}
              alerts={alerts}
              commands={commands}
              guardId={selected}
              onClose={() => setPicked(null)}
            />
          )}
        </section>
        <aside className="wf-panel" aria-label="Side panel">
          <SideTabs<Tab> tabs={tabs} active={tab} onChange={setTab} />
          {/* Ages keep counting while disconnected; say plainly that nothing is updating. */}
          {roster.ready && status !== 'live' && (
            <p className="wf-panel__notice" role="note">
              Not receiving updates: showing last known state.
            </p>
          )}
          <div
            className="wf-tabpanel"
            id={`wf-tabpanel-${tab}`}
            role="tabpanel"
            aria-labelledby={`wf-tab-${tab}`}
          >
            {tab === 'alerts' && (
              <AlertFeed store={store} alerts={alerts} onShowGuard={showGuard} />
            )}
            {tab === 'guards' && (
              <GuardPanel
                store={store}
                alerts={alerts}
                selectedGuardId={selected}
                onSelect={showGuard}
              />
            )}
            {tab === 'devices' && <DevicesPanel fleet={fleet} siteNames={roster.siteNames} />}
            {tab === 'sensors' && <SensorsPanel fleet={fleet} siteNames={roster.siteNames} />}
            {tab === 'charts' && (
              <ChartsPanel charts={charts} components={components} store={store} />
            )}
            {tab === 'replay' && (
              <ReplayPanel store={store} player={player} initialGuardId={selected} />
            )}
          </div>
        </aside>
      </main>
    </div>
  );
}
