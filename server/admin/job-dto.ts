/**
 * Jobs as the admin job browser shows them. Payloads and errors are returned
 * as plain strings (JSON text, truncated): the page renders them as text,
 * never as markup.
 */
import type { Job } from 'bullmq';
import {
  JOB_STATES,
  type JobDetailDto,
  type JobState,
  type JobSummaryDto,
} from '../../contract/admin';

/** How much of a payload the list shows; the detail view shows up to DETAIL_CHARS. */
const PREVIEW_CHARS = 160;
const DETAIL_CHARS = 64 * 1024;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function jsonText(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? 'undefined';
  } catch {
    return String(value);
  }
}

/** The list row of a job. */
export function toJobSummary(job: Job): JobSummaryDto {
  return {
    id: String(job.id),
    name: job.name,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    timestamp: job.timestamp,
    processedOn: job.processedOn ?? null,
    finishedOn: job.finishedOn ?? null,
    delayMs: job.delay ? job.delay : null,
    failedReason: job.failedReason ? truncate(job.failedReason, 300) : null,
    dataPreview: truncate(jsonText(job.data), PREVIEW_CHARS),
  };
}

/** Everything about one job. */
export function toJobDetail(job: Job, queue: string, state: string): JobDetailDto {
  return {
    ...toJobSummary(job),
    failedReason: job.failedReason ?? null,
    queue,
    state: (JOB_STATES as readonly string[]).includes(state) ? (state as JobState) : 'unknown',
    data: truncate(jsonText(job.data, 2), DETAIL_CHARS),
    stacktrace: (job.stacktrace ?? []).map((s) => truncate(s, 8 * 1024)),
    returnValue: job.returnvalue == null ? null : truncate(jsonText(job.returnvalue), 2048),
    priority: job.opts.priority ?? 0,
  };
}
