/**
 * A device's last seen in the browser: the newest of its telemetry, its guard's GPS fix and
 * its own health report, moved forward live by the events the screen already receives;
 * guard fixes at most once a second unless holding them would show a device wrongly.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceCounts } from '../../components/fleet/device-filters';
import {
  createFleetStore,
  FIX_SEEN_EVERY_MS,
  type FleetClock,
  type FleetStore,
} from '../../components/fleet/fleet-store';
import type {
  DeviceDto,
  DeviceListDto,
  DeviceSeenDto,
  DeviceStatusDto,
} from '../../contract/devices';
import type { GuardPositionDto } from '../../contract/guards';
import { deviceLastSeen, deviceSeenSource, deviceState } from '../../contract/fleet-rules';

const T = Date.parse('2026-12-05T12:00:00Z');
const at = (agoMs: number) => T - agoMs;
const MIN = 60_000;
const thresholds = { staleAfterMs: MIN, offlineAfterMs: 5 * MIN };

function device(
  id: string,
  over: Partial<Omit<DeviceDto, 'seen'>> & { seen?: Partial<DeviceSeenDto> } = {},
): DeviceDto {
  const seen = { telemetryAt: null, fixAt: null, healthAt: null, ...over.seen };
  return {
    id,
    guard: null,
    siteId: 'site-a',
    battery: null,
    batteryDayAgo: null,
    signalDbm: null,
    signalPercent: null,
    charging: null,
    firmware: null,
    ...over,
    seen,
    lastSeenAt: deviceLastSeen(seen),
  };
}

const fix = (guardId: string, agoMs: number): GuardPositionDto => ({
  guardId,
  siteId: 'site-a',
  lat: 51.2,
  lon: 4.4,
  fixAt: at(agoMs),
  accuracyM: 5,
  speedMps: null,
  headingDeg: null,
});

const status = (deviceId: string, guardId: string | null, battery: number, agoMs: number) =>
  ({
    deviceId,
    guardId,
    siteId: 'site-a',
    battery,
    signalDbm: -70,
    signalPercent: null,
    charging: false,
    lastSeenAt: at(agoMs),
  }) satisfies DeviceStatusDto;

/** A clock the test steps: browser time starts at the server's T, timers run on advance(). */
function steppedClock() {
  let now = T;
  let timers: { at: number; run: () => void }[] = [];
  const clock: FleetClock & { advance(ms: number): void; timers(): number } = {
    now: () => now,
    after(ms, run) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      due.forEach((t) => t.run());
    },
    timers: () => timers.length,
  };
  return clock;
}

async function loadedStore(
  devices: DeviceDto[],
  clock: FleetClock = steppedClock(),
): Promise<FleetStore> {
  const store = createFleetStore(clock);
  await load(store, devices);
  return store;
}

async function load(store: FleetStore, devices: DeviceDto[]): Promise<void> {
  const list: DeviceListDto = {
    devices,
    total: devices.length,
    lowBatteryPercent: 15,
    staleAfterMs: thresholds.staleAfterMs,
    offlineAfterMs: thresholds.offlineAfterMs,
    serverTime: T,
  };
  vi.stubGlobal('fetch', async (url: string) => ({
    ok: true,
    json: async () => (url.startsWith('/api/devices') ? list : { sensors: [] }),
  }));
  await store.load();
}

const seenAt = (store: FleetStore, id: string) => store.getView().devices.get(id)!.lastSeenAt;
const stateOf = (store: FleetStore, id: string) =>
  deviceState(store.getView().devices.get(id)!, T, thresholds);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a device's last seen", () => {
  it('is the newest of its sources, null only when none spoke', () => {
    const seen = { telemetryAt: at(10 * MIN), fixAt: at(MIN), healthAt: null };
    expect(deviceLastSeen(seen)).toBe(at(MIN));
    expect(deviceSeenSource(seen)).toBe('fixAt');
    expect(deviceSeenSource({ ...seen, healthAt: at(0) })).toBe('healthAt');
    expect(deviceLastSeen({ telemetryAt: null, fixAt: null, healthAt: null })).toBeNull();
  });

  it("follows its guard's GPS fixes live: a phone without battery reports is online", async () => {
    const store = await loadedStore([
      device('phone-1', { guard: { id: 'guard-1', name: 'Amira' } }),
      device('phone-2', { guard: { id: 'guard-2', name: 'Jonas' } }),
    ]);
    expect(stateOf(store, 'phone-1')).toBe('offline');
    store.applyGuardPositions([fix('guard-1', 40_000), fix('guard-1', 10_000)]);
    expect(seenAt(store, 'phone-1')).toBe(at(10_000));
    expect(stateOf(store, 'phone-1')).toBe('online');
    expect(stateOf(store, 'phone-2')).toBe('offline');
    // An older fix arriving late moves nothing.
    const version = store.getView().version;
    store.applyGuardPositions([fix('guard-1', 30_000)]);
    expect(store.getView().version).toBe(version);
    expect(deviceCounts(store.getView(), T)).toMatchObject({ online: 1, offline: 1 });
  });

  it('follows the health reports of the component with its id', async () => {
    const store = await loadedStore([device('gw-site-a'), device('gw-site-b')]);
    store.applyComponentHealth({
      component: 'gw-site-a',
      siteId: 'site-a',
      status: 'ok',
      detail: null,
      metrics: null,
      reportedAt: at(5_000),
    });
    expect(stateOf(store, 'gw-site-a')).toBe('online');
    expect(store.getView().devices.get('gw-site-a')!.seen.healthAt).toBe(at(5_000));
    expect(stateOf(store, 'gw-site-b')).toBe('offline');
  });

  it('takes a battery report older than the last fix, keeping the newer last seen', async () => {
    const store = await loadedStore([
      device('phone-1', {
        guard: { id: 'guard-1', name: 'Amira' },
        battery: 80,
        seen: { telemetryAt: at(20 * MIN), fixAt: at(10_000), healthAt: null },
      }),
    ]);
    store.applyDeviceStatuses([status('phone-1', 'guard-1', 64, 2 * MIN)]);
    const phone = store.getView().devices.get('phone-1')!;
    expect(phone.battery).toBe(64);
    expect(phone.seen.telemetryAt).toBe(at(2 * MIN));
    expect(phone.lastSeenAt).toBe(at(10_000));
    // A report older than the telemetry already known is still refused.
    store.applyDeviceStatuses([status('phone-1', 'guard-1', 99, 3 * MIN)]);
    expect(store.getView().devices.get('phone-1')!.battery).toBe(64);
  });

  it('keeps a fix heard live when a reload read the database before it', async () => {
    const guard = { id: 'guard-1', name: 'Amira' };
    const store = await loadedStore([device('phone-1', { guard })]);
    store.applyGuardPositions([fix('guard-1', 5_000)]);
    await load(store, [device('phone-1', { guard, seen: { fixAt: at(60_000) } })]);
    expect(seenAt(store, 'phone-1')).toBe(at(5_000));
    // Not when the device changed hands: the old guard's fix says nothing of it now.
    await load(store, [device('phone-1', { guard: { id: 'guard-2', name: 'Jonas' } })]);
    expect(seenAt(store, 'phone-1')).toBeNull();
  });
});

describe("guard fixes moving devices' last seen", () => {
  const amira = { id: 'guard-1', name: 'Amira' };
  const jonas = { id: 'guard-2', name: 'Jonas' };
  const lena = { id: 'guard-3', name: 'Lena' };
  const omar = { id: 'guard-4', name: 'Omar' };

  it('reach an online device at most once a second, the newest fix then', async () => {
    const clock = steppedClock();
    const store = await loadedStore(
      [device('phone-1', { guard: amira, seen: { fixAt: at(5_000) } })],
      clock,
    );
    store.applyGuardPositions([fix('guard-1', 4_000)]);
    expect(seenAt(store, 'phone-1')).toBe(at(4_000));
    const applied = store.getView().version;
    // Three batches within the second: held, not published.
    for (const ago of [3_000, 2_000, 1_000]) {
      clock.advance(200);
      store.applyGuardPositions([fix('guard-1', ago)]);
    }
    expect(store.getView().version).toBe(applied);
    expect(seenAt(store, 'phone-1')).toBe(at(4_000));
    expect(clock.timers()).toBe(1);
    // A second after the last apply, once, with the newest of the held fixes.
    clock.advance(FIX_SEEN_EVERY_MS - 600 - 1);
    expect(store.getView().version).toBe(applied);
    clock.advance(1);
    expect(store.getView().version).toBe(applied + 1);
    expect(seenAt(store, 'phone-1')).toBe(at(1_000));
    expect(clock.timers()).toBe(0);
  });

  it('apply at once a fix that turns a stale or offline device online', async () => {
    const clock = steppedClock();
    const store = await loadedStore(
      [
        device('phone-1', { guard: amira, seen: { fixAt: at(5_000) } }),
        device('phone-2', { guard: jonas, seen: { fixAt: at(2 * MIN) } }),
        device('phone-3', { guard: lena }),
        device('phone-4', { guard: omar, seen: { fixAt: at(4 * MIN) } }),
      ],
      clock,
    );
    store.applyGuardPositions([fix('guard-1', 4_000)]);
    expect([stateOf(store, 'phone-2'), stateOf(store, 'phone-3')]).toEqual(['stale', 'offline']);
    clock.advance(200);
    store.applyGuardPositions([fix('guard-2', 1_000)]);
    expect(stateOf(store, 'phone-2')).toBe('online');
    clock.advance(200);
    store.applyGuardPositions([fix('guard-3', 1_000)]);
    expect(stateOf(store, 'phone-3')).toBe('online');
    // A fix that leaves a stale device stale (itself two minutes old) may wait.
    const version = store.getView().version;
    store.applyGuardPositions([fix('guard-4', 2 * MIN)]);
    expect(store.getView().version).toBe(version);
    clock.advance(FIX_SEEN_EVERY_MS);
    expect(seenAt(store, 'phone-4')).toBe(at(2 * MIN));
    expect(stateOf(store, 'phone-4')).toBe('stale');
  });

  it('apply at once a fix that keeps an online device from showing stale while held', async () => {
    const clock = steppedClock();
    const nearlyStale = thresholds.staleAfterMs - 500;
    const store = await loadedStore(
      [
        device('phone-1', { guard: amira, seen: { fixAt: at(1_000) } }),
        device('phone-2', { guard: jonas, seen: { fixAt: at(nearlyStale) } }),
      ],
      clock,
    );
    store.applyGuardPositions([fix('guard-1', 500)]);
    clock.advance(100);
    // Held for 900 ms more, phone-2 would pass 60 s of silence on screen: applied now.
    store.applyGuardPositions([fix('guard-2', 0)]);
    expect(seenAt(store, 'phone-2')).toBe(at(0));
  });

  it('keeps fixes held across a reload and applies them to the reloaded devices', async () => {
    const clock = steppedClock();
    const online = { fixAt: at(5_000) };
    const store = await loadedStore([device('phone-1', { guard: amira, seen: online })], clock);
    store.applyGuardPositions([fix('guard-1', 4_000)]);
    clock.advance(100);
    store.applyGuardPositions([fix('guard-1', 1_000)]);
    await load(store, [device('phone-1', { guard: amira, seen: online })]);
    expect(seenAt(store, 'phone-1')).toBe(at(4_000));
    clock.advance(FIX_SEEN_EVERY_MS);
    expect(seenAt(store, 'phone-1')).toBe(at(1_000));
  });
});
