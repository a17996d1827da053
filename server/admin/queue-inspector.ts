/**
 * Read side of the admin page: the route table with its last hour, every
 * queue's counts, throughput and workers, and a page of jobs per queue and
 * state. Jobs are paged in Redis (getJobs(types, start, end)), so a queue of
 * 100,000 jobs costs what one page costs.
 */
import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis';
import { AppError } from '../errors';
import {
  QUEUE_NAMES,
  TASK_NAMES,
  routeFor,
  toBullPriority,
  type QueueName,
} from '../queues/routes';
import {
  JOB_STATES,
  type JobDetailDto,
  type JobPageDto,
  type JobState,
  type QueueStatsDto,
  type RouteStatsDto,
} from '../../contract/admin';
import { toJobDetail, toJobSummary } from './job-dto';
import { byQueue, readTaskStats, type TaskWindowStats } from '../metrics/task-stats';
import { parseWorker } from './worker-names';

export class QueueNotFoundError extends AppError {
  constructor(name: string) {
    super('QUEUE_NOT_FOUND', `no queue "${name}" in the route table`, 404);
    this.name = 'QueueNotFoundError';
  }
}

export class JobNotFoundError extends AppError {
  constructor(queue: string, id: string) {
    super('JOB_NOT_FOUND', `no job ${id} in queue ${queue}`, 404);
    this.name = 'JobNotFoundError';
  }
}

/** A queue of the route table by name; 404 for anything else. */
export function assertQueueName(name: string): QueueName {
  if (!(QUEUE_NAMES as readonly string[]).includes(name)) throw new QueueNotFoundError(name);
  return name as QueueName;
}

/**
 * The handler's source file, by the naming rule of server/handlers
 * (process_guard_gps -> guard-gps.ts); a unit test checks every file exists.
 */
export function handlerFileOf(task: string): string {
  return `server/handlers/${task.replace(/^process_/, '').replace(/_/g, '-')}.ts`;
}

const EMPTY: TaskWindowStats = { completed: 0, failed: 0, p95Ms: null, completedLast5Min: 0 };

/** The route table in its own order, with each task's last hour. */
export function routeRows(stats: Map<string, TaskWindowStats>): RouteStatsDto[] {
  return TASK_NAMES.map((task) => {
    const route = routeFor(task);
    const s = stats.get(task) ?? EMPTY;
    return {
      task,
      queue: route.queue,
      priority: route.priority,
      bullPriority: toBullPriority(route.priority),
      handler: handlerFileOf(task),
      description: route.description,
      processedLastHour: s.completed,
      failedLastHour: s.failed,
      p95Ms: s.p95Ms,
    };
  });
}

export interface QueueInspector {
  routes(): Promise<RouteStatsDto[]>;
  queues(): Promise<QueueStatsDto[]>;
  /** Both, from one read of the task statistics. */
  overview(): Promise<{ routes: RouteStatsDto[]; queues: QueueStatsDto[] }>;
  jobs(queue: string, state: JobState, page: number, pageSize: number): Promise<JobPageDto>;
  job(queue: string, id: string): Promise<JobDetailDto>;
}

/** Reads through the given BullMQ queues and the task statistics under `prefix`. */
export function createQueueInspector(
  queue: (name: QueueName) => Queue,
  redis: RedisClient,
  prefix: string,
): QueueInspector {
  async function queueStats(name: QueueName, completedLast5Min: number) {
    const q = queue(name);
    const [counts, paused, clients] = await Promise.all([
      q.getJobCounts(...JOB_STATES),
      q.isPaused(),
      q.getWorkers(),
    ]);
    const dto: QueueStatsDto = {
      name,
      paused,
      counts: Object.fromEntries(
        JOB_STATES.map((s) => [s, counts[s] ?? 0]),
      ) as QueueStatsDto['counts'],
      throughputPerMin: Math.round((completedLast5Min / 5) * 10) / 10,
      workers: clients.map(parseWorker),
    };
    return dto;
  }

  async function overview() {
    const stats = await readTaskStats(redis, prefix);
    const recent = byQueue((task) => stats.get(task)?.completedLast5Min ?? 0);
    const queues = await Promise.all(
      QUEUE_NAMES.map((name) => queueStats(name, recent.get(name) ?? 0)),
    );
    return { routes: routeRows(stats), queues };
  }

  return {
    overview,
    routes: async () => routeRows(await readTaskStats(redis, prefix)),
    queues: async () => (await overview()).queues,
    async jobs(name, state, page, pageSize) {
      const q = queue(assertQueueName(name));
      const start = page * pageSize;
      const [jobs, total] = await Promise.all([
        q.getJobs([state], start, start + pageSize - 1),
        q.getJobCountByTypes(state),
      ]);
      return {
        queue: name,
        state,
        total,
        page,
        pageSize,
        // A job removed between the range read and its hash read comes back empty.
        jobs: jobs.filter(Boolean).map((job) => toJobSummary(job)),
      };
    },
    async job(name, id) {
      const q = queue(assertQueueName(name));
      const job = await q.getJob(id);
      if (!job) throw new JobNotFoundError(name, id);
      return toJobDetail(job, name, await job.getState());
    },
  };
}
