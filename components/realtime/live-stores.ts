/** Every client-side store one screen's connection feeds. */
import { createAlertStore, type AlertStore } from '@/components/alerts/alert-store';
import { createChartStore, type ChartStore } from '@/components/charts/chart-store';
import { createCommandStore, type CommandStore } from '@/components/commands/command-store';
import { createFleetStore, type FleetStore } from '@/components/fleet/fleet-store';
import { createComponentStore, type ComponentStore } from '@/components/health/component-store';
import { createLiveStore, type LiveStore } from './live-store';

export interface LiveStores {
  store: LiveStore;
  alerts: AlertStore;
  charts: ChartStore;
  commands: CommandStore;
  /** Field components' health (system/<id>/health). */
  components: ComponentStore;
  /** Devices and sensors of the screen's sites (the devices and sensors tabs, the wall's counts). */
  fleet: FleetStore;
}

/** Fresh stores for one screen. */
export function createLiveStores(): LiveStores {
  return {
    store: createLiveStore(),
    alerts: createAlertStore(),
    charts: createChartStore(),
    commands: createCommandStore(),
    components: createComponentStore(),
    fleet: createFleetStore(),
  };
}
