'use client';
/** One device: who carries it (or where it is), battery and its day's trend, signal, last seen. */
import { memo } from 'react';
import { formatAge, formatSignal } from '@/components/guards/guard-status';
import type { DeviceDto, DeviceState } from '@/contract/devices';
import { DEVICE_SEEN_LABELS, DEVICE_STATE_LABELS, deviceSeenSource } from '@/contract/fleet-rules';
import { formatInstant } from '@/components/time/format-instant';

interface DeviceRowProps {
  device: DeviceDto;
  state: DeviceState;
  low: boolean;
  siteName: string | null;
  /** Server-clock now, 0 while unknown. */
  serverNowMs: number;
}

/** The day's change in points, as an arrow and a number ("▼ 12"). */
function trend(
  device: DeviceDto,
): { text: string; title: string; dir: 'down' | 'up' | 'flat' } | null {
  if (device.battery === null || device.batteryDayAgo === null) return null;
  const delta = device.battery - device.batteryDayAgo;
  const title = `${device.batteryDayAgo}% at the start of the last 24 h`;
  if (delta === 0) return { text: '± 0', title, dir: 'flat' };
  return {
    text: `${delta < 0 ? '▼' : '▲'} ${Math.abs(delta)}`,
    title,
    dir: delta < 0 ? 'down' : 'up',
  };
}

export const DeviceRow = memo(function DeviceRow({
  device,
  state,
  low,
  siteName,
  serverNowMs,
}: DeviceRowProps) {
  const t = trend(device);
  const silentMs = device.lastSeenAt === null ? null : serverNowMs - device.lastSeenAt;
  const source = deviceSeenSource(device.seen);
  return (
    <li
      className={`wf-device wf-device--${state}${low ? ' wf-device--low' : ''}`}
      data-device-id={device.id}
      data-state={state}
      data-battery={device.battery ?? undefined}
    >
      <div className="wf-device__line">
        <span className="wf-status-dot" aria-hidden="true" />
        <span className="wf-device__id">{device.id}</span>
        <span className="wf-device__who" title={device.guard ? 'Carried by' : 'Installed at'}>
          {device.guard ? device.guard.name : (siteName ?? 'Unassigned')}
        </span>
        <span className="wf-device__state">{DEVICE_STATE_LABELS[state]}</span>
      </div>
      <div className="wf-device__line wf-device__line--figures">
        <span className="wf-device__battery" title={low ? 'Low battery' : 'Battery'}>
          <span className="wf-battery" aria-hidden="true">
            <span className="wf-battery__fill" style={{ width: `${device.battery ?? 0}%` }} />
          </span>
          {device.battery === null ? '—' : `${device.battery}%`}
          {device.charging && (
            <span className="wf-device__charging" title="Charging">
              ⚡
            </span>
          )}
        </span>
        {t && (
          <span className={`wf-device__trend wf-device__trend--${t.dir}`} title={t.title}>
            {t.text}
          </span>
        )}
        <span className="wf-device__signal" title="Signal">
          {formatSignal(device)}
        </span>
        <span className="wf-device__fw" title="Firmware">
          {device.firmware ?? '—'}
        </span>
        <span
          className="wf-device__seen"
          title={
            source && device.lastSeenAt !== null
              ? `${formatInstant(device.lastSeenAt)}, from ${DEVICE_SEEN_LABELS[source]}`
              : 'Never heard from'
          }
          data-seen-from={source ?? undefined}
        >
          {silentMs === null ? 'never' : serverNowMs > 0 ? formatAge(silentMs) : '—'}
        </span>
      </div>
    </li>
  );
});
