/**
 * process_sensor_data: store a reading (batched); a threshold crossing raises a critical
 * alert; the sensor's new latest reading goes to screens (coalesced by the web node).
 */
import type pg from 'pg';
import { BatchWriter } from '../db/batch-writer';
import { CHANNEL_EVENTS, type ChannelEvent } from '../realtime/channel-events';
import {
  storeSensorReadings,
  type SensorReading,
  type StoredReading,
} from '../sensors/reading-store';
import type { BatchLimits, HandlerResult } from './types';
import type { JobDataOf } from '../../contract/job-data';

/** Job data of process_sensor_data (its schema in contract/job-data.ts). */
export type SensorDataJob = JobDataOf<'process_sensor_data'>;

/** Creates the handler and its batch writer (drain it on shutdown). */
export function createSensorDataHandler(deps: { pool: pg.Pool; batch: BatchLimits }) {
  const writer = new BatchWriter<SensorReading, StoredReading>({
    ...deps.batch,
    write: (batch) => storeSensorReadings(deps.pool, batch),
  });

  async function handle(job: SensorDataJob): Promise<HandlerResult> {
    const stored = await writer.add(job);
    if (stored.status === 'duplicate') return { outcome: 'duplicate', events: [] };
    const events: ChannelEvent[] = stored.alerts.map((alert) => ({
      type: CHANNEL_EVENTS.alert,
      payload: alert,
    }));
    if (stored.latest) events.push({ type: CHANNEL_EVENTS.sensorReading, payload: stored.latest });
    return { outcome: 'stored', events, alertsRaised: stored.alerts.length };
  }

  return { handle, drain: () => writer.drain() };
}
