'use client';
/**
 * Every sensor the viewer may see: latest reading and unit, the last hour as a
 * sparkline (from PostgreSQL, then live), its threshold and whether it is
 * crossed, and the alert it raised, linked. Alarms first; windowed.
 */
import { useMemo, useState } from 'react';
import { formatAge } from '@/components/guards/guard-status';
import { useNow } from '@/components/time/use-now';
import type { SensorDto } from '@/contract/sensors';
import type { FleetStore } from './fleet-store';
import { Sparkline } from './sparkline';
import { useFleet } from './use-fleet';
import { WindowedRows } from './windowed-rows';
import { formatInstant } from '@/components/time/format-instant';

/** Must match .wf-sensor's height in fleet.css. */
const ROW_PX = 64;

const kindLabel = (kind: string) => kind.replace(/_/g, ' ');

function formatValue(sensor: SensorDto): string {
  if (sensor.lastValue === null) return '—';
  const value = Number.isInteger(sensor.lastValue) ? sensor.lastValue : sensor.lastValue.toFixed(1);
  return sensor.unit ? `${value} ${sensor.unit}` : String(value);
}

interface SensorsPanelProps {
  fleet: FleetStore;
  siteNames: ReadonlyMap<string, string>;
}

export function SensorsPanel({ fleet, siteNames }: SensorsPanelProps) {
  const view = useFleet(fleet);
  const now = useNow();
  const [kind, setKind] = useState('all');
  const serverNow = now === 0 ? 0 : now + view.clockOffsetMs;
  const kinds = useMemo(
    () => [...new Set([...view.sensors.values()].map((s) => s.kind))].sort(),
    [view.sensors],
  );
  const ids = useMemo(
    () =>
      [...view.sensors.values()]
        .filter((s) => kind === 'all' || s.kind === kind)
        .sort((a, b) => Number(b.inAlarm) - Number(a.inAlarm) || (a.id < b.id ? -1 : 1))
        .map((s) => s.id),
    [view.sensors, kind],
  );
  const alarms = useMemo(
    () => [...view.sensors.values()].filter((s) => s.inAlarm).length,
    [view.sensors],
  );

  return (
    <section className="wf-fleet" aria-labelledby="wf-sensors-title">
      <header className="wf-panel__header">
        <h2 id="wf-sensors-title" className="wf-panel__title">
          Sensors <span className="wf-panel__count">{view.sensors.size}</span>
        </h2>
        <p className="wf-fleet__counts">
          <span className={`wf-fleet__count${alarms > 0 ? ' wf-fleet__count--alarm' : ''}`}>
            {alarms} past a threshold
          </span>
        </p>
      </header>
      <div className="wf-fleet__filters">
        <select
          className="wf-select"
          aria-label="Kind"
          value={kind}
          onChange={(event) => setKind(event.target.value)}
        >
          <option value="all">Every kind</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </div>
      {view.error && (
        <p className="wf-panel__notice" role="alert">
          Could not load sensors: {view.error}
        </p>
      )}
      {!view.ready ? (
        <p className="wf-panel__empty">Loading sensors…</p>
      ) : ids.length === 0 ? (
        <p className="wf-panel__empty">No sensors.</p>
      ) : (
        <WindowedRows
          ids={ids}
          rowPx={ROW_PX}
          label="Sensors"
          className="wf-sensor-list"
          renderRow={(id) => {
            const sensor = view.sensors.get(id)!;
            const site = sensor.siteId
              ? (siteNames.get(sensor.siteId) ?? sensor.siteId)
              : 'Unassigned';
            const age =
              sensor.lastReadAt !== null && serverNow > 0
                ? formatAge(serverNow - sensor.lastReadAt)
                : '—';
            return (
              <li
                key={id}
                className={`wf-sensor${sensor.inAlarm ? ' wf-sensor--alarm' : ''}`}
                data-sensor-id={id}
                data-in-alarm={sensor.inAlarm}
              >
                <span className="wf-sensor__who">
                  <span className="wf-sensor__id">{id}</span>{' '}
                  <span className="wf-sensor__kind">{kindLabel(sensor.kind)}</span>
                </span>
                <span className="wf-sensor__value">
                  <strong>{formatValue(sensor)}</strong>
                  <span
                    className="wf-sensor__age"
                    title={
                      sensor.lastReadAt === null ? undefined : formatInstant(sensor.lastReadAt)
                    }
                  >
                    {sensor.inAlarm ? 'ALARM' : age}
                  </span>
                </span>
                {/* The alert link first: a long site name is what gets cut. */}
                <span className="wf-sensor__meta">
                  {sensor.alert && (
                    <>
                      <a className="wf-link" href={`/alerts/${sensor.alert.id}`}>
                        alert ({sensor.alert.status})
                      </a>
                      {' · '}
                    </>
                  )}
                  {sensor.threshold ? `alarm ≥ ${sensor.threshold.atOrAbove}` : 'no threshold'} ·{' '}
                  {site}
                </span>
                <Sparkline
                  points={sensor.spark}
                  endMs={serverNow || (sensor.spark.at(-1)?.[0] ?? 0)}
                  threshold={sensor.threshold?.atOrAbove ?? null}
                  alarm={sensor.inAlarm}
                  width={110}
                  height={24}
                  label={`${id} last hour`}
                />
              </li>
            );
          }}
        />
      )}
    </section>
  );
}
