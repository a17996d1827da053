/**
 * The workers' check of a job against its task's schema (contract/job-data.ts)
 * before the handler runs: Redis is not trusted, so a job that is not what its
 * task expects is refused with a short reason, never stored or broadcast.
 */
import type { z } from 'zod';
import {
  isBatchJobData,
  JOB_DATA_SCHEMAS,
  MAX_BATCH_MESSAGES,
  type JobDataOf,
  type TaskName,
} from '../../contract/job-data';

export type JobDataCheck<TData> = { ok: true; data: TData } | { ok: false; reason: string };

/** True for the name of a routed task (a job's name comes from Redis: not trusted). */
export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(JOB_DATA_SCHEMAS, name);
}

/** Why a job named `name` is refused when no task has that name. */
export const unknownTask = (name: string) => `unknown task "${name.slice(0, 64)}"`;

/** The job's data when it is what its task expects; otherwise why not (a few issues, no values). */
export function checkJobData<T extends TaskName>(
  task: T,
  data: unknown,
): JobDataCheck<JobDataOf<T>>;
export function checkJobData(task: string, data: unknown): JobDataCheck<unknown>;
export function checkJobData(task: string, data: unknown): JobDataCheck<unknown> {
  if (!isTaskName(task)) return { ok: false, reason: unknownTask(task) };
  const result = (JOB_DATA_SCHEMAS[task] as z.ZodType).safeParse(data);
  if (result.success) return { ok: true, data: result.data };
  const reason = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'data'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason };
}

/** A batch job's messages when each is what its task expects (as checkJobData); otherwise why not. */
export function checkBatchJobData<T extends TaskName>(
  task: T,
  data: unknown,
): JobDataCheck<JobDataOf<T>[]> {
  if (!isBatchJobData(data) || Object.keys(data).length !== 1) {
    return { ok: false, reason: 'data: a batch carries { messages } alone' };
  }
  const { messages } = data;
  if (messages.length === 0 || messages.length > MAX_BATCH_MESSAGES) {
    return { ok: false, reason: `messages: 1 to ${MAX_BATCH_MESSAGES}, got ${messages.length}` };
  }
  const checked: JobDataOf<T>[] = [];
  for (const [i, message] of messages.entries()) {
    const one = checkJobData(task, message);
    if (!one.ok) return { ok: false, reason: `messages.${i}: ${one.reason}` };
    checked.push(one.data);
  }
  return { ok: true, data: checked };
}
