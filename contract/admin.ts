/** The admin page: route statistics, queues, workers, job states, storage. */
import type { EpochMs } from './time';
import type { ProcessHealthDto } from './charts';
import type { BreakerDto } from './commands';
import type { TaskName } from './job-data';

/** One row of the route table with its last hour (admin page). */
export interface RouteStatsDto {
  task: TaskName;
  queue: string;
  /** 0-10, 10 the most urgent (server/queues/routes.ts). */
  priority: number;
  /** The BullMQ priority it maps to (1 the highest). */
  bullPriority: number;
  /** The handler's source file. */
  handler: string;
  description: string;
  processedLastHour: number;
  failedLastHour: number;
  /** p95 processing time over the last hour, ms; null with no jobs. */
  p95Ms: number | null;
}

/** A worker attached to a queue, from its Redis client name. */
export interface WorkerDto {
  host: string;
  pid: number | null;
  concurrency: number | null;
  /** Seconds since its connection was opened. */
  ageSeconds: number | null;
}

export const JOB_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'completed',
  'failed',
  'paused',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One queue's counts, throughput and workers (admin page). */
export interface QueueStatsDto {
  name: string;
  paused: boolean;
  counts: Record<JobState, number>;
  /** Jobs completed per minute over the last 5 minutes. */
  throughputPerMin: number;
  workers: WorkerDto[];
}

/** What the admin page shows, pushed every ADMIN_PUSH_MS to the admin room. */
export interface AdminStatsDto {
  /** Epoch ms, as every time in this file. */
  at: EpochMs;
  routes: RouteStatsDto[];
  queues: QueueStatsDto[];
  breakers: BreakerDto[];
  /** Every process of the deployment, live or gone, as the web node's charts last merged them. */
  processes: ProcessHealthDto[];
}

/** One day partition of a history table (admin storage view). */
export interface StoragePartitionDto {
  name: string;
  /** The UTC day it holds (yyyy-mm-dd); null for a partition made by hand. */
  day: string | null;
  bytes: number;
  /** PostgreSQL's estimate; null before the partition was first analyzed. */
  rowEstimate: number | null;
  /** When the maintenance job may drop it; null for a partition it does not manage. */
  dropDueAt: EpochMs | null;
}

/** How a table's history goes: a day partition at a time, or finished rows in batches. */
export const RETENTION_MODES = ['partitions', 'rows'] as const;
export type RetentionMode = (typeof RETENTION_MODES)[number];

/** One table's storage and retention (admin storage view). */
export interface StorageTableDto {
  table: string;
  retentionBy: RetentionMode;
  retentionDays: number;
  /** Table and indexes, all partitions together. */
  bytes: number;
  rowEstimate: number | null;
  /** Event time of the oldest and newest row; null when empty. */
  oldest: number | null;
  newest: number | null;
  /** The next partition to go and when it becomes due; null when none holds data yet. */
  nextDrop: { partition: string; dueAt: EpochMs } | null;
  partitions: StoragePartitionDto[];
}

/** The admin storage view, pushed every ADMIN_STORAGE_PUSH_MS to the admin room. */
export interface StorageDto {
  at: EpochMs;
  databaseBytes: number;
  /** The maintenance job's next scheduled run; null when it is not scheduled. */
  nextMaintenanceAt: EpochMs | null;
  tables: StorageTableDto[];
}

export interface QuarantinedMessage {
  at: EpochMs;
  topic: string;
  reason: string;
  detail: string;
  size: number;
  /** The first bytes, printable ASCII as is and everything else as \xNN: inert text. */
  preview: string;
}

export interface JobSummaryDto {
  id: string;
  name: string;
  attemptsMade: number;
  attempts: number;
  /** Epoch ms. */
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
  /** The delay it was last put back with (ms), else null. */
  delayMs: number | null;
  failedReason: string | null;
  dataPreview: string;
}

export interface JobDetailDto extends JobSummaryDto {
  queue: string;
  /** 'unknown' for a state the admin page does not list (a job gone meanwhile, or waiting on children). */
  state: JobState | 'unknown';
  /** The payload as indented JSON text (truncated at 64 KiB). */
  data: string;
  stacktrace: string[];
  returnValue: string | null;
  /** BullMQ priority (1 the highest). */
  priority: number;
}

export interface JobPageDto {
  queue: string;
  state: JobState;
  total: number;
  page: number;
  pageSize: number;
  jobs: JobSummaryDto[];
}
