/** process_device_telemetry: store telemetry (batched), update the device, raise low battery once. */
import type pg from 'pg';
import { BatchWriter } from '../db/batch-writer';
import { storeTelemetry, type StoredTelemetry, type Telemetry } from '../devices/telemetry-store';
import { CHANNEL_EVENTS, type ChannelEvent } from '../realtime/channel-events';
import type { BatchLimits, HandlerResult } from './types';
import type { JobDataOf } from '../../contract/job-data';

/** Job data of process_device_telemetry (its schema in contract/job-data.ts). */
export type DeviceTelemetryJob = JobDataOf<'process_device_telemetry'>;

/** Creates the handler and its batch writer (drain it on shutdown). */
export function createDeviceTelemetryHandler(deps: {
  pool: pg.Pool;
  batch: BatchLimits;
  lowBatteryPercent: number;
}) {
  const writer = new BatchWriter<Telemetry, StoredTelemetry>({
    ...deps.batch,
    write: (batch) => storeTelemetry(deps.pool, batch, deps.lowBatteryPercent),
  });

  async function handle(job: DeviceTelemetryJob): Promise<HandlerResult> {
    const stored = await writer.add(job);
    if (stored.status === 'duplicate') return { outcome: 'duplicate', events: [] };
    const events: ChannelEvent[] = stored.alerts.map((alert) => ({
      type: CHANNEL_EVENTS.alert,
      payload: alert,
    }));
    if (stored.latest) events.push({ type: CHANNEL_EVENTS.deviceStatus, payload: stored.latest });
    return { outcome: 'stored', events, alertsRaised: stored.alerts.length };
  }

  return { handle, drain: () => writer.drain() };
}
