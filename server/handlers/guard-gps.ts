/** process_guard_gps: store a fix (batched) and report the guard's new latest position. */
import { BatchWriter } from '../db/batch-writer';
import { storeGuardFixes, type GuardFix, type StoredFix } from '../guards/fixes';
import type pg from 'pg';
import { CHANNEL_EVENTS } from '../realtime/events';
import type { HandlerResult } from './types';

/** Job data of process_guard_gps: JSON-safe (dates as ISO strings). */
export interface GuardGpsJob {
  messageKey: string;
  guardId: string;
  lat: number;
  lon: number;
  fixAt: string;
  accuracyM: number;
  speedMps: number | null;
  headingDeg: number | null;
  receivedAt: string;
}

export interface GuardGpsHandlerOptions {
  pool: pg.Pool;
  batch: { maxRows: number; maxWaitMs: number };
}

/** Creates the handler and its batch writer (drain it on shutdown). */
export function createGuardGpsHandler({ pool, batch }: GuardGpsHandlerOptions) {
  const writer = new BatchWriter<GuardFix, StoredFix>({
    ...batch,
    write: (fixes) => storeGuardFixes(pool, fixes),
  });

  async function handle(job: GuardGpsJob): Promise<HandlerResult> {
    const stored = await writer.add({
      ...job,
      fixAt: new Date(job.fixAt),
      receivedAt: new Date(job.receivedAt),
    });
    if (stored.status === 'duplicate') return { outcome: 'duplicate', events: [] };
    const latest = stored.latest;
    return {
      outcome: 'stored',
      events: latest
        ? [
            {
              type: CHANNEL_EVENTS.guardPosition,
              payload: { ...latest, fixAt: latest.fixAt.toISOString() },
            },
          ]
        : [],
    };
  }

  return { handle, drain: () => writer.drain() };
}
