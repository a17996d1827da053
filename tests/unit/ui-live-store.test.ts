/** The live store tells imperative views (the map's canvas) which guards changed. */
import { describe, expect, it } from 'vitest';
import { createLiveStore, DEFAULT_SETTINGS } from '../../components/realtime/live-store';
import type { GuardPositionDto } from '../../contract/guards';

const NOW_ISO = '2026-11-28T10:00:00Z';

function fix(guardId: string, fixAt: string, lat = 53.5): GuardPositionDto {
  return {
    guardId,
    siteId: 'site',
    lat,
    lon: 9.9,
    fixAt,
    accuracyM: 5,
    speedMps: 1,
    headingDeg: 0,
  };
}

function loadedStore() {
  const store = createLiveStore();
  store.applySnapshot({
    sites: [],
    guards: ['a', 'b'].map((id) => ({
      id,
      name: id,
      siteId: 'site',
      dutyStatus: null,
      battery: null,
      signalDbm: null,
      signalPercent: null,
      lastSeenAt: null,
      position: null,
    })),
    openAlerts: [],
    settings: DEFAULT_SETTINGS,
    serverTime: Date.now(),
  });
  return store;
}

describe('live store change notifications', () => {
  it('names the guards a position batch moved, once per batch', () => {
    const store = loadedStore();
    const seen: (readonly string[] | null)[] = [];
    store.subscribeGuardChanges((changed) => seen.push(changed));
    store.applyPositions([fix('a', '2026-11-28T10:00:01Z'), fix('b', '2026-11-28T10:00:01Z')]);
    expect(seen).toEqual([['a', 'b']]);
  });

  it('leaves out a fix older than the one it holds, and stays silent if nothing changed', () => {
    const store = loadedStore();
    store.applyPositions([fix('a', '2026-11-28T10:00:05Z')]);
    const seen: (readonly string[] | null)[] = [];
    store.subscribeGuardChanges((changed) => seen.push(changed));
    store.applyPositions([fix('a', '2026-11-28T10:00:01Z', 1)]);
    expect(seen).toEqual([]);
    expect(store.getGuard('a')?.position?.lat).toBe(53.5);
  });

  it('says "everything" (null) after a snapshot, and names a guard whose duty changed', () => {
    const store = loadedStore();
    const seen: (readonly string[] | null)[] = [];
    const stop = store.subscribeGuardChanges((changed) => seen.push(changed));
    store.applyGuardStatus({ guardId: 'b', siteId: 'site', dutyStatus: 'break', at: NOW_ISO });
    store.applySnapshot({
      sites: [],
      guards: [],
      openAlerts: [],
      settings: DEFAULT_SETTINGS,
      serverTime: Date.parse(NOW_ISO),
    });
    stop();
    store.applyGuardStatus({ guardId: 'b', siteId: 'site', dutyStatus: 'on_duty', at: NOW_ISO });
    expect(seen).toEqual([['b'], null]);
  });
});
