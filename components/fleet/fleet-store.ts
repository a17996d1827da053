/**
 * Every device and sensor a screen may see, keyed by id: loaded over REST
 * (GET /api/devices, /api/sensors) on each snapshot, then moved forward by the
 * coalesced socket batches. Listeners hear once per batch, not per id, so
 * 2,000 devices reporting cost a screen a couple of renders a second.
 */
import type {
  AlertDto,
  DeviceDto,
  DeviceListDto,
  DeviceStatusDto,
  SensorDto,
  SensorListDto,
  SensorReadingDto,
} from '@/server/realtime/events';
import { addSparkPoint } from '@/server/realtime/fleet-rules';

export interface FleetView {
  /** Bumped on every change: a cheap key for memoized derivations. */
  version: number;
  ready: boolean;
  error: string | null;
  devices: ReadonlyMap<string, DeviceDto>;
  sensors: ReadonlyMap<string, SensorDto>;
  lowBatteryPercent: number;
  staleAfterMs: number;
  offlineAfterMs: number;
  /** Server clock minus browser clock at the last load. */
  clockOffsetMs: number;
}

export interface FleetStore {
  getView(): FleetView;
  subscribe(listener: () => void): () => void;
  /** Re-reads both lists; a failure keeps what is shown and says so. */
  load(signal?: AbortSignal): Promise<void>;
  applyDeviceStatuses(batch: readonly DeviceStatusDto[]): void;
  applySensorReadings(batch: readonly SensorReadingDto[]): void;
  /** A threshold alert raised or changed: the sensor links to it. */
  applyAlert(alert: AlertDto): void;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** An empty store (not ready until the first load). */
export function createFleetStore(): FleetStore {
  let view: FleetView = {
    version: 0,
    ready: false,
    error: null,
    devices: new Map(),
    sensors: new Map(),
    lowBatteryPercent: 15,
    staleAfterMs: 60_000,
    offlineAfterMs: 300_000,
    clockOffsetMs: 0,
  };
  const listeners = new Set<() => void>();
  const publish = (next: Omit<FleetView, 'version'>) => {
    view = { ...next, version: view.version + 1 };
    listeners.forEach((listener) => listener());
  };

  return {
    getView: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load(signal) {
      try {
        const [deviceList, sensorList] = await Promise.all([
          getJson<DeviceListDto>('/api/devices?sort=id', signal),
          getJson<SensorListDto>('/api/sensors', signal),
        ]);
        publish({
          ready: true,
          error: null,
          devices: new Map(deviceList.devices.map((d) => [d.id, d])),
          sensors: new Map(sensorList.sensors.map((s) => [s.id, s])),
          lowBatteryPercent: deviceList.lowBatteryPercent,
          staleAfterMs: deviceList.staleAfterMs,
          offlineAfterMs: deviceList.offlineAfterMs,
          clockOffsetMs: Date.parse(deviceList.serverTime) - Date.now(),
        });
      } catch (error) {
        if (signal?.aborted) return;
        publish({ ...view, error: (error as Error).message });
      }
    },
    applyDeviceStatuses(batch) {
      if (batch.length === 0) return;
      const devices = new Map(view.devices);
      for (const status of batch) {
        const known = devices.get(status.deviceId);
        if (known?.lastSeenAt && known.lastSeenAt > status.lastSeenAt) continue;
        devices.set(status.deviceId, {
          id: status.deviceId,
          guard: status.guardId
            ? known?.guard?.id === status.guardId
              ? known.guard
              : { id: status.guardId, name: status.guardId }
            : null,
          siteId: status.siteId,
          battery: status.battery,
          batteryDayAgo: known?.batteryDayAgo ?? status.battery,
          signalDbm: status.signalDbm,
          signalPercent: status.signalPercent,
          charging: status.charging,
          firmware: known?.firmware ?? null,
          lastSeenAt: status.lastSeenAt,
        });
      }
      publish({ ...view, devices });
    },
    applySensorReadings(batch) {
      if (batch.length === 0) return;
      const sensors = new Map(view.sensors);
      const serverNow = Date.now() + view.clockOffsetMs;
      for (const reading of batch) {
        const known = sensors.get(reading.sensorId);
        // A sensor first heard of live is listed once the next load says what it is.
        if (!known || (known.lastReadAt && known.lastReadAt > reading.readAt)) continue;
        sensors.set(reading.sensorId, {
          ...known,
          lastValue: reading.value,
          unit: reading.unit ?? known.unit,
          lastReadAt: reading.readAt,
          inAlarm: reading.inAlarm,
          spark: addSparkPoint(known.spark, Date.parse(reading.readAt), reading.value, serverNow),
        });
      }
      publish({ ...view, sensors });
    },
    applyAlert(alert) {
      if (alert.type !== 'sensor_threshold' || !alert.sensorId) return;
      const known = view.sensors.get(alert.sensorId);
      if (!known || (known.alert && known.alert.raisedAt > alert.raisedAt)) return;
      const sensors = new Map(view.sensors);
      sensors.set(alert.sensorId, {
        ...known,
        alert: { id: alert.id, status: alert.status, raisedAt: alert.raisedAt },
      });
      publish({ ...view, sensors });
    },
  };
}
