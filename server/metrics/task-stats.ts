/**
 * The one count of finished jobs: per-task counts and durations, shared by
 * every worker process through Redis: one hash per minute (`<prefix>:{taskstats}:<minute>`, one hash tag so
 * a MULTI or pipeline over several minutes stays in one Redis Cluster slot)
 * with completed and failed counts and a duration histogram per task. Workers
 * add to an in-memory tally and flush it every couple of seconds, so a busy
 * worker costs Redis one pipelined write per flush, not one per job.
 * The admin page reads the last hour of it (readTaskStats), the charts their
 * queue throughput (createCompletionCounter).
 */
import type { RedisClient } from '../redis';
import { histogramQuantile } from './quantile';
import { TASK_NAMES, routeFor, type QueueName } from '../queues/routes';

/** Upper bounds of the duration buckets, ms; one more bucket holds everything slower. */
export const DURATION_BUCKETS_MS = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000,
];
const MINUTE = 60_000;
/** Minute hashes outlive the hour they serve by a margin. */
const TTL_SECONDS = 2 * 3600;

const key = (prefix: string, minute: number) => `${prefix}:{taskstats}:${minute}`;

/** Index of the bucket a duration falls in. */
export function bucketOf(durationMs: number): number {
  const index = DURATION_BUCKETS_MS.findIndex((bound) => durationMs <= bound);
  return index === -1 ? DURATION_BUCKETS_MS.length : index;
}

/** The p95 as the upper bound of the bucket the 95th percentile falls in (shown as "≤ x"); null with no samples. */
export function p95FromBuckets(counts: number[]): number | null {
  const buckets = counts.map((count, i) => ({ le: DURATION_BUCKETS_MS[i] ?? Infinity, count }));
  return histogramQuantile(buckets, 0.95, { interpolate: false });
}

export interface TaskStatsRecorder {
  record(task: string, outcome: 'completed' | 'failed', durationMs: number): void;
  /** Writes the tally to Redis (also done on a timer). */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  stop(): Promise<void>;
}

/** Starts a recorder that flushes every flushMs. */
export function createTaskStatsRecorder(
  redis: RedisClient,
  prefix: string,
  { flushMs = 2000, now = Date.now }: { flushMs?: number; now?: () => number } = {},
): TaskStatsRecorder {
  // minute -> field -> increment
  let tally = new Map<number, Map<string, number>>();
  const add = (minute: number, field: string, n = 1) => {
    let fields = tally.get(minute);
    if (!fields) tally.set(minute, (fields = new Map()));
    fields.set(field, (fields.get(field) ?? 0) + n);
  };

  async function flush(): Promise<void> {
    if (tally.size === 0) return;
    const pending = tally;
    tally = new Map();
    const multi = redis.multi();
    for (const [minute, fields] of pending) {
      for (const [field, n] of fields) multi.hincrby(key(prefix, minute), field, n);
      multi.expire(key(prefix, minute), TTL_SECONDS);
    }
    try {
      await multi.exec();
    } catch {
      // Redis is down: keep the counts for the next flush rather than lose them.
      for (const [minute, fields] of pending) {
        for (const [field, n] of fields) add(minute, field, n);
      }
    }
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    record(task, outcome, durationMs) {
      const minute = Math.floor(now() / MINUTE);
      add(minute, `${task}|${outcome}`);
      if (outcome === 'completed') add(minute, `${task}|b${bucketOf(Math.max(0, durationMs))}`);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

export interface TaskWindowStats {
  completed: number;
  failed: number;
  p95Ms: number | null;
  /** Completed in the last 5 minutes (throughput). */
  completedLast5Min: number;
}

/** The hashes of the given minutes, in their order (an empty one for a minute nobody wrote). */
async function readMinutes(
  redis: RedisClient,
  prefix: string,
  minutes: readonly number[],
): Promise<Record<string, string>[]> {
  const pipeline = redis.pipeline();
  for (const minute of minutes) pipeline.hgetall(key(prefix, minute));
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value as Record<string, string>;
  });
}

/** Reads the last 60 minutes (this one included) for every task seen. */
export async function readTaskStats(
  redis: RedisClient,
  prefix: string,
  now = Date.now(),
): Promise<Map<string, TaskWindowStats>> {
  const current = Math.floor(now / MINUTE);
  const minutes = Array.from({ length: 60 }, (_, i) => current - i);
  const stats = new Map<string, TaskWindowStats & { buckets: number[] }>();
  (await readMinutes(redis, prefix, minutes)).forEach((value, index) => {
    for (const [field, raw] of Object.entries(value)) {
      const [task, kind] = field.split('|') as [string, string];
      let entry = stats.get(task);
      if (!entry) {
        entry = { completed: 0, failed: 0, p95Ms: null, completedLast5Min: 0, buckets: [] };
        stats.set(task, entry);
      }
      const n = Number(raw);
      if (kind === 'completed') {
        entry.completed += n;
        if (index < 5) entry.completedLast5Min += n;
      } else if (kind === 'failed') entry.failed += n;
      else if (kind.startsWith('b')) {
        const bucket = Number(kind.slice(1));
        entry.buckets[bucket] = (entry.buckets[bucket] ?? 0) + n;
      }
    }
  });
  return new Map(
    [...stats].map(([task, { buckets, ...rest }]) => [
      task,
      { ...rest, p95Ms: p95FromBuckets(Array.from(buckets, (n) => n ?? 0)) },
    ]),
  );
}

/** Per-task counts summed by the queue each task routes to (tasks outside the route table left out). */
export function byQueue(countOf: (task: string) => number): Map<QueueName, number> {
  const sums = new Map<QueueName, number>();
  for (const task of TASK_NAMES) {
    const { queue } = routeFor(task);
    sums.set(queue, (sums.get(queue) ?? 0) + countOf(task));
  }
  return sums;
}

export interface Completions {
  /** Jobs completed per task (every worker process) since the previous read; none on the first. */
  byTask: Map<string, number>;
  /** Time since the previous read, ms; null on the first. */
  overMs: number | null;
}

export interface CompletionCounter {
  /** What completed since the previous successful call (a failed read leaves it to the next). */
  sinceLast(): Promise<Completions>;
}

/**
 * Turns the minute hashes into completions between two reads: each read takes
 * the minutes since the previous one plus one more back (a worker flushes a
 * minute's tally a couple of seconds after it, longer while Redis is away) and
 * counts what grew. Exact for flushes up to a minute late, and a chart sample
 * costs one pipelined read of two or three hashes, whatever the job rate.
 */
export function createCompletionCounter(
  redis: RedisClient,
  prefix: string,
  now: () => number = Date.now,
): CompletionCounter {
  // minute -> task -> completed, as last read
  let seen: Map<number, Map<string, number>> | null = null;
  let lastMinute = 0;
  let lastAt = 0;
  return {
    async sinceLast() {
      const at = now();
      const current = Math.floor(at / MINUTE);
      const from = seen ? Math.max(lastMinute - 1, current - 60) : current - 1;
      const minutes = Array.from({ length: Math.max(1, current - from + 1) }, (_, i) => from + i);
      const hashes = await readMinutes(redis, prefix, minutes);
      const read = new Map<number, Map<string, number>>();
      const grown = new Map<string, number>();
      hashes.forEach((value, i) => {
        const minute = minutes[i]!;
        const tasks = new Map<string, number>();
        for (const [field, raw] of Object.entries(value)) {
          const [task, kind] = field.split('|') as [string, string];
          if (kind !== 'completed') continue;
          const n = Number(raw);
          tasks.set(task, n);
          const before = seen?.get(minute)?.get(task) ?? 0;
          if (seen && n > before) grown.set(task, (grown.get(task) ?? 0) + n - before);
        }
        read.set(minute, tasks);
      });
      const overMs = seen ? at - lastAt : null;
      seen = read;
      lastMinute = current;
      lastAt = at;
      return { byTask: grown, overMs };
    },
  };
}
