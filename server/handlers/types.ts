/** What every task handler looks like: data in, a result with events out. */
import type { JobDataOf, TaskName } from '../../contract/job-data';
import type { ChannelEvent } from '../realtime/channel-events';

export interface HandlerResult {
  /** Events for the realtime layer to broadcast; handlers never emit themselves. */
  events: ChannelEvent[];
  /** 'duplicate' when the message had been stored before (redelivery). */
  outcome: 'stored' | 'duplicate';
  /** Alerts this message raised (for metrics). */
  alertsRaised?: number;
  /**
   * A device alert named a guard that is not the device's own: the claim was
   * ignored (the alert is the device's). For metrics and the log.
   */
  ignoredGuardClaim?: { claimed: string; attributed: string | null };
}

/** About the job a handler runs, beyond its data. */
export interface JobMeta {
  /** Epoch ms when the job was put on its queue. */
  enqueuedAt: number;
  /**
   * Puts the job back, delayed until `at` (epoch ms), without using up an
   * attempt; the handler then throws the error it returns. For waits that are
   * not the job's fault (publish_mqtt while the broker is unreachable).
   */
  defer?(at: number): Promise<Error>;
  /** Attempts made before this one (0 on the first), and how many the job has in all. */
  attemptsMade?: number;
  attempts?: number;
}

export type TaskHandler<TData> = (data: TData, meta: JobMeta) => Promise<HandlerResult>;

/**
 * One handler per routed task, each taking its task's job data: a missing
 * handler, one for a task without a route, or one for the wrong data does not compile.
 */
export type TaskHandlers = { [T in TaskName]: TaskHandler<JobDataOf<T>> };

/** How a batched handler gathers rows before one write. */
export interface BatchLimits {
  maxRows: number;
  maxWaitMs: number;
}
