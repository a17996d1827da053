/**
 * The job data of every task, as a schema. Workers check each job against its
 * task's schema before the handler runs: Redis is not trusted, so a job
 * written there by anyone but the ingest (forged, corrupt, from an older
 * version) is refused, never stored or broadcast. The schemas are also the
 * one definition of each job's type (`JobDataOf`): producers, handlers and
 * this check cannot drift apart.
 */
import { z } from 'zod';
import { publishJobSchema } from '../commands/command-schema';
import { escalateJobSchema, notificationJobSchema } from '../escalation/escalation-jobs';
import { DEVICE_ALERT_TYPES } from '../../contract/alerts';
import { GUARD_DUTY_STATUSES } from '../../contract/guards';
import { HEALTH_STATUSES } from '../../contract/health';
import { ID_PATTERN, METRIC_NAME_PATTERN } from '../../contract/ids';
import { SENSOR_KINDS } from '../../contract/sensors';
import { COMMAND_ACK_RESULTS } from '../mqtt/payloads';
import { isStorableText } from '../text/storable-text';
import type { TaskName } from './routes';

/** Topic ids (contract/ids.ts). */
const id = z.string().regex(ID_PATTERN);
/** The ingest's idempotency key (a SHA-256 in hex), or a test's or rule's own key. */
const messageKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);
/**
 * A time as epoch ms (contract/time.ts). A job queued by an ingest from before times crossed
 * the queue as numbers carries ISO 8601: read as the same instant, so an upgrade loses none.
 */
const epochMs = z.union([
  z.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((t) => Date.parse(t)),
]);
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
  // The signal when the device gave a percentage instead of dBm (see payloads.ts).
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

/** Every task's job data schema: a route without one, or one without a route, does not compile. */
export const JOB_DATA_SCHEMAS = {
  process_device_alert: deviceAlert,
  process_guard_gps: guardGps,
  process_guard_status: guardStatus,
  process_sensor_data: sensorData,
  process_device_telemetry: deviceTelemetry,
  process_system_health: systemHealth,
  publish_mqtt: publishJobSchema,
  process_command_ack: commandAck,
  // The job scheduler's runs carry nothing: everything comes from the config.
  maintain_history: z.strictObject({}),
  escalate_alert: escalateJobSchema,
  send_escalation_email: notificationJobSchema,
  deliver_webhook: notificationJobSchema,
} as const satisfies Record<TaskName, z.ZodType>;

/** Every task's job data, as its workers get it (after the schema's defaults). */
export type JobDataMap = { [T in TaskName]: z.output<(typeof JOB_DATA_SCHEMAS)[T]> };

/** The job data of one task: what `enqueue` takes and its handler gets. */
export type JobDataOf<T extends TaskName> = JobDataMap[T];

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
