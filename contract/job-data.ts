/**
 * The job data of every task, as a schema: the contract between whatever
 * enqueues a task (the ingest, the command and escalation use cases, the
 * scheduler) and the worker that runs it. Its keys are the task names; the
 * route table (server/queues/routes.ts) gives each a queue and a priority and
 * must name exactly these tasks. Workers check each job against its task's
 * schema before the handler runs: Redis is not trusted, so a job written there
 * by anyone but our producers (forged, corrupt, from an older version) is
 * refused, never stored or broadcast. The schemas are also the one definition
 * of each job's type (`JobDataOf`): producers, handlers and that check cannot
 * drift apart.
 */
import { z } from 'zod';
import { DEVICE_ALERT_TYPES } from './alerts';
import { COMMAND_ACK_RESULTS } from './commands';
import { GUARD_DUTY_STATUSES } from './guards';
import { HEALTH_STATUSES } from './health';
import { ID_PATTERN, MESSAGE_KEY_PATTERN, METRIC_NAME_PATTERN } from './ids';
import { SENSOR_KINDS } from './sensors';
import { isStorableText } from './storable-text';
import { epochMsSchema as epochMs } from './time';

/** Topic ids (ids.ts). */
const id = z.string().regex(ID_PATTERN);
const messageKey = z.string().regex(MESSAGE_KEY_PATTERN);
/** Free text the ingest already made storable: anything else did not come from it. */
const text = (max: number) =>
  z.string().max(max).refine(isStorableText, 'text PostgreSQL cannot store').nullable();
const finite = z.number().refine(Number.isFinite, 'a finite number');

const guardGps = z.strictObject({
  messageKey,
  guardId: id,
  lat: finite.min(-90).max(90),
  lon: finite.min(-180).max(180),
  fixAt: epochMs,
  accuracyM: finite.min(0).max(10_000),
  speedMps: finite.min(0).max(100).nullable(),
  headingDeg: finite.min(0).lt(360).nullable(),
  receivedAt: epochMs,
});

const guardStatus = z.strictObject({
  messageKey,
  guardId: id,
  status: z.enum(GUARD_DUTY_STATUSES),
  note: text(500),
  reportedAt: epochMs,
  receivedAt: epochMs,
});

const deviceTelemetry = z.strictObject({
  messageKey,
  deviceId: id,
  battery: z.number().int().min(0).max(100),
  // -150..0 still: jobs queued before signal percentages were told apart may hold a 0 dBm.
  signalDbm: z.number().int().min(-150).max(0).nullable(),
  // Jobs queued before the column existed carry no percentage.
  // The signal when the device gave a percentage instead of dBm (server/mqtt/payloads.ts).
  signalPercent: z.number().int().min(0).max(100).nullable().default(null),
  charging: z.boolean().nullable(),
  firmware: text(64),
  reportedAt: epochMs,
  receivedAt: epochMs,
});

const sensorData = z.strictObject({
  messageKey,
  sensorId: id,
  kind: z.enum(SENSOR_KINDS),
  value: finite.min(-1e6).max(1e6),
  unit: text(16),
  readAt: epochMs,
  receivedAt: epochMs,
});

const deviceAlert = z.strictObject({
  messageKey,
  deviceId: id,
  type: z.enum(DEVICE_ALERT_TYPES),
  guardId: id.nullable(),
  location: z
    .strictObject({ lat: finite.min(-90).max(90), lon: finite.min(-180).max(180) })
    .nullable(),
  message: text(2000),
  raisedAt: epochMs,
  receivedAt: epochMs,
});

const systemHealth = z.strictObject({
  messageKey,
  component: id,
  status: z.enum(HEALTH_STATUSES),
  detail: text(1000),
  metrics: z
    .record(z.string().regex(METRIC_NAME_PATTERN), finite)
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 metrics')
    .nullable(),
  reportedAt: epochMs,
  receivedAt: epochMs,
});

const commandAck = z.strictObject({
  messageKey,
  // The replying device (the topic id, authenticated by the broker's ACL).
  deviceId: id,
  commandId: z.uuid(),
  result: z.enum(COMMAND_ACK_RESULTS),
  detail: text(500),
  // Device time of the reply.
  repliedAt: epochMs,
});

/** publish_mqtt: only the command's id; its row is the source of truth. */
const publishJob = z.strictObject({ commandId: z.uuid() });

/** escalate_alert: fire one step (or repeat) of an alert's escalation. */
const escalateJob = z.strictObject({
  alertId: z.uuid(),
  step: z.number().int().min(0).max(100),
  repeat: z.number().int().min(0).max(100),
});

/** send_escalation_email and deliver_webhook: one notification row, the source of truth. */
const notificationJob = z.strictObject({ notificationId: z.uuid() });

/** Every task's job data schema, keyed by task name. */
export const JOB_DATA_SCHEMAS = {
  process_device_alert: deviceAlert,
  process_guard_gps: guardGps,
  process_guard_status: guardStatus,
  process_sensor_data: sensorData,
  process_device_telemetry: deviceTelemetry,
  process_system_health: systemHealth,
  publish_mqtt: publishJob,
  process_command_ack: commandAck,
  // The job scheduler's runs carry nothing: everything comes from the config.
  maintain_history: z.strictObject({}),
  escalate_alert: escalateJob,
  send_escalation_email: notificationJob,
  deliver_webhook: notificationJob,
} as const;

/** A task the system runs: a route without one, or one without a route, does not compile. */
export type TaskName = keyof typeof JOB_DATA_SCHEMAS;

/** Every task's job data, as its workers get it (after the schema's defaults). */
export type JobDataMap = { [T in TaskName]: z.output<(typeof JOB_DATA_SCHEMAS)[T]> };

/** The job data of one task: what `enqueue` takes and its handler gets. */
export type JobDataOf<T extends TaskName> = JobDataMap[T];

export type PublishMqttJob = JobDataOf<'publish_mqtt'>;
export type EscalateJob = JobDataOf<'escalate_alert'>;
/** The job data of both notification tasks (e-mail and webhook). */
export type NotificationJob = JobDataOf<'send_escalation_email'>;

/** The most messages a batch job may carry (a batching route's maxMessages stays far below). */
export const MAX_BATCH_MESSAGES = 1000;

/** A batch job of a batching task (routes.ts `batch`): several messages' data, nothing else. */
export interface BatchJobData<T extends TaskName> {
  messages: JobDataOf<T>[];
}

/** True when a job's data has the shape of a batch (checkBatchJobData checks the rest). */
export function isBatchJobData(data: unknown): data is { messages: unknown[] } {
  return (
    typeof data === 'object' &&
    data !== null &&
    Array.isArray((data as { messages?: unknown }).messages)
  );
}
