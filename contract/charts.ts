/** The dashboard charts: samples pushed live and the history served on load. */
import type { EpochMs } from './time';

/** One queue's state at a sample. */
export interface QueueSampleDto {
  /** waiting + prioritized + delayed */
  depth: number;
  active: number;
  failed: number;
  /** Jobs completed per second since the previous sample. */
  completedPerSec: number;
}

/** What a Watchfloor process may run (ROLES in server/config.ts chooses among them). */
export const ROLES = ['web', 'ingest', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** live: the process reports; gone: its reports stopped (stopped or crashed). */
export const PROCESS_STATES = ['live', 'gone'] as const;
export type ProcessState = (typeof PROCESS_STATES)[number];

/** One process of the deployment as the web node last heard of it. */
export interface ProcessHealthDto {
  id: string;
  host: string;
  pid: number;
  /** What this process runs. */
  roles: Role[];
  /** A gone process no longer counts in the charts. */
  state: ProcessState;
  /** Its components that report a problem (role.component), empty when healthy. */
  down: string[];
  /** p99 event-loop delay over its last report interval. */
  eventLoopLagMs: number;
  /** Epoch ms (web node clock) of its latest report. */
  lastReportAt: EpochMs;
}

/** One sample of the dashboard charts (rates are per second over the previous interval). */
export interface ChartSampleDto {
  /** Epoch ms. */
  t: number;
  ingestPerSec: Record<string, number>;
  queues: Record<string, QueueSampleDto>;
  /** Enqueued-to-committed latency in ms over the interval; null with no jobs. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  rejectedPerSec: Record<string, number>;
  /** Every process's share is summed in: ingest and workers may run in other processes. */
  health: {
    /** null: no ingest process reports. */
    mqtt: boolean | null;
    redis: boolean;
    postgres: boolean;
    workers: boolean;
    /** p99 event-loop delay of the web node over the interval. */
    eventLoopLagMs: number;
  };
  devicesOffline: number;
  /** Every process of the deployment, by role; gone ones stay listed for a while. */
  processes: ProcessHealthDto[];
}

/** The charts' history (oldest first) as GET /api/charts serves it. */
export interface ChartHistoryDto {
  intervalMs: number;
  samples: ChartSampleDto[];
}
