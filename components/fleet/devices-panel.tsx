'use client';
/**
 * Every device the viewer may see, filtered and sorted by the fleet rules
 * (lowest battery or longest silent first), live: status batches and the
 * passing of time re-judge each device, and only the rows in view render.
 */
import { useMemo, useState } from 'react';
import { useNow } from '@/components/time/use-now';
import { DEVICE_STATES, type DeviceState } from '@/contract/devices';
import {
  deviceState,
  DEVICE_SORT_LABELS,
  DEVICE_SORTS,
  DEVICE_STATE_LABELS,
  isLowBattery,
  type DeviceSort,
} from '@/contract/fleet-rules';
import {
  DEFAULT_DEVICE_FILTER,
  deviceCounts,
  filterDevices,
  type DeviceFilter,
} from './device-filters';
import { DeviceRow } from './device-row';
import type { FleetStore } from './fleet-store';
import { useFleet } from './use-fleet';
import { WindowedRows } from './windowed-rows';

/** Must match .wf-device's height in fleet.css. */
const ROW_PX = 52;

interface DevicesPanelProps {
  fleet: FleetStore;
  siteNames: ReadonlyMap<string, string>;
}

export function DevicesPanel({ fleet, siteNames }: DevicesPanelProps) {
  const view = useFleet(fleet);
  const now = useNow();
  const [filter, setFilter] = useState<DeviceFilter>(DEFAULT_DEVICE_FILTER);
  const serverNow = now === 0 ? 0 : now + view.clockOffsetMs;
  // Re-judged each second: a device turns stale and offline with time alone.
  const ids = useMemo(() => filterDevices(view, filter, serverNow), [view, filter, serverNow]);
  const counts = useMemo(() => deviceCounts(view, serverNow), [view, serverNow]);
  const set = (patch: Partial<DeviceFilter>) => setFilter((prev) => ({ ...prev, ...patch }));

  return (
    <section className="wf-fleet" aria-labelledby="wf-devices-title">
      <header className="wf-panel__header">
        <h2 id="wf-devices-title" className="wf-panel__title">
          Devices <span className="wf-panel__count">{view.devices.size}</span>
        </h2>
        <p className="wf-fleet__counts" data-testid="device-counts">
          <span className="wf-fleet__count wf-fleet__count--online">{counts.online} online</span>
          <span className="wf-fleet__count wf-fleet__count--stale">{counts.stale} stale</span>
          <span className="wf-fleet__count wf-fleet__count--offline">{counts.offline} offline</span>
          <span className="wf-fleet__count wf-fleet__count--low">{counts.low} low battery</span>
        </p>
      </header>
      <div className="wf-fleet__filters">
        <input
          className="wf-input"
          type="search"
          placeholder="Device or guard"
          aria-label="Search devices"
          value={filter.text}
          onChange={(event) => set({ text: event.target.value })}
        />
        <div className="wf-fleet__selects">
          <select
            className="wf-select"
            aria-label="State"
            value={filter.state}
            onChange={(event) => set({ state: event.target.value as DeviceState | 'all' })}
          >
            <option value="all">Every state</option>
            {DEVICE_STATES.map((state) => (
              <option key={state} value={state}>
                {DEVICE_STATE_LABELS[state]}
              </option>
            ))}
          </select>
          <select
            className="wf-select"
            aria-label="Sort"
            value={filter.sort}
            onChange={(event) => set({ sort: event.target.value as DeviceSort })}
          >
            {DEVICE_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {DEVICE_SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </div>
        <label className="wf-fleet__check">
          <input
            type="checkbox"
            checked={filter.lowOnly}
            onChange={(event) => set({ lowOnly: event.target.checked })}
          />
          Low battery only (≤ {view.lowBatteryPercent}%)
        </label>
      </div>
      {view.error && (
        <p className="wf-panel__notice" role="alert">
          Could not load devices: {view.error}
        </p>
      )}
      {!view.ready ? (
        <p className="wf-panel__empty">Loading devices…</p>
      ) : ids.length === 0 ? (
        <p className="wf-panel__empty">No device matches.</p>
      ) : (
        <WindowedRows
          ids={ids}
          rowPx={ROW_PX}
          label="Devices"
          className="wf-device-list"
          renderRow={(id) => {
            const device = view.devices.get(id)!;
            return (
              <DeviceRow
                key={id}
                device={device}
                state={deviceState(device, serverNow, view)}
                low={isLowBattery(device.battery, view.lowBatteryPercent)}
                siteName={device.siteId ? (siteNames.get(device.siteId) ?? device.siteId) : null}
                serverNowMs={serverNow}
              />
            );
          }}
        />
      )}
    </section>
  );
}
