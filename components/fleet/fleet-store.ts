/**
 * Every device and sensor a screen may see, keyed by id: loaded over REST
 * (GET /api/devices, /api/sensors) on each snapshot, then moved forward by the
 * coalesced socket batches. Listeners hear once per batch, not per id, so
 * 2,000 devices reporting cost a screen a couple of renders a second.
 *
 * A device's last seen follows all its sources live, from events the screen
 * receives anyway: its telemetry (devices:status), its guard's GPS fixes
 * (guard:positions) and its own health reports (component:health). Nothing
 * extra is written on the server's GPS path for it.
 */
import {
  DEFAULT_LOW_BATTERY_PERCENT,
  DEFAULT_OFFLINE_AFTER_MS,
  DEFAULT_STALE_AFTER_MS,
} from '@/contract/thresholds';
import type { AlertDto } from '@/contract/alerts';
import type { ComponentHealthDto } from '@/contract/health';
import type { DeviceDto, DeviceListDto, DeviceSeenDto, DeviceStatusDto } from '@/contract/devices';
import type { GuardPositionDto } from '@/contract/guards';
import type { SensorDto, SensorListDto, SensorReadingDto } from '@/contract/sensors';
import { addSparkPoint, deviceLastSeen } from '@/contract/fleet-rules';
import type { EpochMs } from '@/contract/time';

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
  /** Guards' fixes: their devices were heard from. */
  applyGuardPositions(batch: readonly GuardPositionDto[]): void;
  /** A field component's report: the device with its id was heard from. */
  applyComponentHealth(health: ComponentHealthDto): void;
  applySensorReadings(batch: readonly SensorReadingDto[]): void;
  /** A threshold alert raised or changed: the sensor links to it. */
  applyAlert(alert: AlertDto): void;
}

const NEVER: DeviceSeenDto = { telemetryAt: null, fixAt: null, healthAt: null };

/** The device with one source moved forward; the same object when that is not newer. */
function seenFrom(device: DeviceDto, source: keyof DeviceSeenDto, at: EpochMs): DeviceDto {
  const known = device.seen[source];
  if (known !== null && known >= at) return device;
  const seen = { ...device.seen, [source]: at };
  return { ...device, seen, lastSeenAt: deviceLastSeen(seen) };
}

/** The loaded device, keeping any source the screen heard of live after the server read it. */
function withLiveSeen(loaded: DeviceDto, known: DeviceDto | undefined): DeviceDto {
  if (!known) return loaded;
  let device = loaded;
  for (const source of Object.keys(NEVER) as (keyof DeviceSeenDto)[]) {
    const at = known.seen[source];
    // A fix of the guard that carried it before is no sign of this device.
    if (source === 'fixAt' && known.guard?.id !== loaded.guard?.id) continue;
    if (at !== null) device = seenFrom(device, source, at);
  }
  return device;
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
    lowBatteryPercent: DEFAULT_LOW_BATTERY_PERCENT,
    staleAfterMs: DEFAULT_STALE_AFTER_MS,
    offlineAfterMs: DEFAULT_OFFLINE_AFTER_MS,
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
          devices: new Map(
            deviceList.devices.map((d) => [d.id, withLiveSeen(d, view.devices.get(d.id))]),
          ),
          sensors: new Map(sensorList.sensors.map((s) => [s.id, s])),
          lowBatteryPercent: deviceList.lowBatteryPercent,
          staleAfterMs: deviceList.staleAfterMs,
          offlineAfterMs: deviceList.offlineAfterMs,
          clockOffsetMs: deviceList.serverTime - Date.now(),
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
        const telemetryAt = known?.seen.telemetryAt ?? null;
        if (telemetryAt !== null && telemetryAt > status.lastSeenAt) continue;
        const sameGuard = known?.guard?.id === (status.guardId ?? undefined);
        const seen = {
          ...(known?.seen ?? NEVER),
          fixAt: sameGuard ? (known?.seen.fixAt ?? null) : null,
          telemetryAt: status.lastSeenAt,
        };
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
          lastSeenAt: deviceLastSeen(seen),
          seen,
        });
      }
      publish({ ...view, devices });
    },
    applyGuardPositions(batch) {
      if (batch.length === 0 || view.devices.size === 0) return;
      const fixAt = new Map<string, EpochMs>();
      for (const fix of batch)
        fixAt.set(fix.guardId, Math.max(fixAt.get(fix.guardId) ?? fix.fixAt, fix.fixAt));
      let devices: Map<string, DeviceDto> | null = null;
      // One pass over the devices, not a lookup per fix: a guard may carry several.
      for (const device of view.devices.values()) {
        const at = device.guard ? fixAt.get(device.guard.id) : undefined;
        if (at === undefined) continue;
        const next = seenFrom(device, 'fixAt', at);
        if (next === device) continue;
        devices ??= new Map(view.devices);
        devices.set(device.id, next);
      }
      if (devices) publish({ ...view, devices });
    },
    applyComponentHealth(health) {
      const known = view.devices.get(health.component);
      if (!known) return;
      const next = seenFrom(known, 'healthAt', health.reportedAt);
      if (next === known) return;
      const devices = new Map(view.devices);
      devices.set(known.id, next);
      publish({ ...view, devices });
    },
    applySensorReadings(batch) {
      if (batch.length === 0) return;
      const sensors = new Map(view.sensors);
      const serverNow = Date.now() + view.clockOffsetMs;
      for (const reading of batch) {
        const known = sensors.get(reading.sensorId);
        // A sensor first heard of live is listed once the next load says what it is.
        if (!known || (known.lastReadAt !== null && known.lastReadAt > reading.readAt)) continue;
        sensors.set(reading.sensorId, {
          ...known,
          lastValue: reading.value,
          unit: reading.unit ?? known.unit,
          lastReadAt: reading.readAt,
          inAlarm: reading.inAlarm,
          spark: addSparkPoint(known.spark, reading.readAt, reading.value, serverNow),
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
        // The sensor view still carries ISO text (contract/sensors.ts); alerts, epoch ms.
        alert: {
          id: alert.id,
          status: alert.status,
          raisedAt: alert.raisedAt,
        },
      });
      publish({ ...view, sensors });
    },
  };
}
