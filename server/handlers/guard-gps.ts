/** process_guard_gps: store a fix (batched), check the geofence, report the new latest position. */
import type pg from 'pg';
import { BatchWriter } from '../db/batch-writer';
import {
  storeGuardFixes,
  type GeofenceRules,
  type GuardFix,
  type StoredFix,
} from '../guards/fixes';
import { CHANNEL_EVENTS, type ChannelEvent } from '../realtime/channel-events';
import type { BatchLimits, HandlerResult, JobMeta } from './types';
import type { JobDataOf } from '../../contract/job-data';

/** Job data of process_guard_gps (its schema in contract/job-data.ts). */
export type GuardGpsJob = JobDataOf<'process_guard_gps'>;

/** Creates the handler and its batch writer (drain it on shutdown). */
export function createGuardGpsHandler(deps: {
  pool: pg.Pool;
  batch: BatchLimits;
  geofence: GeofenceRules;
}) {
  const writer = new BatchWriter<GuardFix, StoredFix>({
    ...deps.batch,
    write: (fixes) => storeGuardFixes(deps.pool, fixes, deps.geofence),
  });

  async function handle(job: GuardGpsJob, meta: JobMeta): Promise<HandlerResult> {
    const stored = await writer.add({ ...job, enqueuedAt: meta.enqueuedAt });
    if (stored.status === 'duplicate') return { outcome: 'duplicate', events: [] };
    const events: ChannelEvent[] = stored.alerts.map((alert) => ({
      type: CHANNEL_EVENTS.alert,
      payload: alert,
    }));
    if (stored.latest) {
      events.push({ type: CHANNEL_EVENTS.guardPosition, payload: stored.latest });
    }
    return { outcome: 'stored', events, alertsRaised: stored.alerts.length };
  }

  return { handle, drain: () => writer.drain() };
}
