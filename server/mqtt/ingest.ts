/**
 * The ingest pipeline of one MQTT message: whitelist -> decode -> interpret ->
 * enqueue on the routed queue. Bad input is counted, logged and acknowledged
 * (redelivering it would not make it valid); a failed enqueue throws so the
 * message is not acknowledged and the broker delivers it again.
 */
import type { Metrics } from '../metrics/metrics';
import type { JobDataOf, TaskName } from '../../contract/job-data';
import { decodePayload } from './decode';
import { interpretMessage } from './messages';
import type { Quarantine } from './quarantine';
import type { RefusalLog } from './refusal-log';
import { parseTopic } from './topics';

export interface IngestLimits {
  maxBytes: number;
  maxDepth: number;
  maxClockSkewMs: number;
}

/** Adds a job of `task` (TaskQueues#enqueue without the options). */
export type Enqueue = <T extends TaskName>(
  task: T,
  jobId: string,
  data: JobDataOf<T>,
) => Promise<void>;

/** Adds one job carrying several messages of a batching task (TaskQueues#enqueueBatch). */
export type EnqueueBatch = <T extends TaskName>(task: T, messages: JobDataOf<T>[]) => Promise<void>;

export type IngestOutcome = { accepted: true } | { accepted: false; reason: string };

export interface IngestOptions {
  enqueue: Enqueue;
  quarantine: Quarantine;
  limits: IngestLimits;
  metrics: Metrics;
  /** Where refusals are logged: once per device and reason, then periodic counts. */
  refusals: RefusalLog;
  now?: () => number;
}

/** Creates the function the subscriber calls for every message. */
export function createIngest({
  enqueue,
  quarantine,
  limits,
  metrics,
  refusals,
  now = Date.now,
}: IngestOptions) {
  function refuse(
    topic: string,
    reason: string,
    detail: string,
    payload: Uint8Array,
  ): IngestOutcome {
    if (reason === 'rejected_topic') metrics.mqttRejectedTopic.inc();
    else metrics.mqttInvalidPayload.inc({ reason });
    refusals.record({ topic, reason, detail, bytes: payload.length });
    void quarantine.record({ at: now(), topic, reason, detail }, payload);
    return { accepted: false, reason };
  }

  return async function ingest(topic: string, payload: Uint8Array): Promise<IngestOutcome> {
    const receivedAt = now();
    const parsed = parseTopic(topic);
    if (!parsed) return refuse(topic, 'rejected_topic', 'topic outside the whitelist', payload);

    const decoded = decodePayload(payload, {
      maxBytes: Math.min(parsed.kind.maxBytes, limits.maxBytes),
      maxDepth: limits.maxDepth,
    });
    if (!decoded.ok) return refuse(topic, decoded.reason, decoded.detail, payload);

    const message = interpretMessage(parsed, decoded.value, {
      topic,
      rawPayload: payload,
      receivedAt,
      maxClockSkewMs: limits.maxClockSkewMs,
    });
    if (!message.ok) return refuse(topic, message.reason, message.detail, payload);

    try {
      await enqueue(message.task, message.messageKey, message.data);
    } catch (error) {
      metrics.mqttProcessingError.inc();
      throw error;
    }
    metrics.receiptToEnqueued.observe((now() - receivedAt) / 1000);
    metrics.mqttMessageProcessed.inc({ root: parsed.root });
    return { accepted: true };
  };
}

export type Ingest = ReturnType<typeof createIngest>;
