/**
 * The job data of every task, as a schema. Workers check each job against its
 * task's schema before the handler runs: Redis is not trusted, so a job
 * written there by anyone but the ingest (forged, corrupt, from an older
 * version) is refused, never stored or broadcast. Each schema is typed
 * against its handler's job type, so the two cannot drift apart.
 */
import { z } from 'zod';
import { publishJobSchema } from '../commands/command-schema';
import { escalateJobSchema, notificationJobSchema } from '../escalation/escalation-jobs';
import type { CommandAckJob } from '../handlers/command-ack';
import type { DeviceAlertJob } from '../handlers/device-alert';
import type { DeviceTelemetryJob } from '../handlers/device-telemetry';
import type { GuardGpsJob } from '../handlers/guard-gps';
import type { GuardStatusJob } from '../handlers/guard-status';
import type { SensorDataJob } from '../handlers/sensor-data';
import type { SystemHealthJob } from '../handlers/system-health';
import {
  COMMAND_ACK_RESULTS,
  DEVICE_ALERT_TYPES,
  GUARD_DUTY_STATUSES,
  HEALTH_STATUSES,
  SENSOR_KINDS,
} from '../mqtt/payloads';
import { isStorableText } from '../text/storable-text';
import type { TaskName } from './routes';

/** Topic ids (server/mqtt/topics.ts). */
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** The ingest's idempotency key (a SHA-256 in hex), or a test's or rule's own key. */
const messageKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);
const instant = z.iso.datetime({ offset: true });
/** Free text the ingest already made storable: anything else did not come from it. */
const text = (max: number) =>
  z.string().max(max).refine(isStorableText, 'text PostgreSQL cannot store').nullable();
const finite = z.number().refine(Number.isFinite, 'a finite number');

const guardGps = z.strictObject({
  messageKey,
  guardId: id,
  lat: finite.min(-90).max(90),
  lon: finite.min(-180).max(180),
  fixAt: instant,
  accuracyM: finite.min(0).max(10_000),
  speedMps: finite.min(0).max(100).nullable(),
  headingDeg: finite.min(0).lt(360).nullable(),
  receivedAt: instant,
}) satisfies z.ZodType<GuardGpsJob>;

const guardStatus = z.strictObject({
  messageKey,
  guardId: id,
  status: z.enum(GUARD_DUTY_STATUSES),
  note: text(500),
  reportedAt: instant,
  receivedAt: instant,
}) satisfies z.ZodType<GuardStatusJob>;

const deviceTelemetry = z.strictObject({
  messageKey,
  deviceId: id,
  battery: z.number().int().min(0).max(100),
  // -150..0 still: jobs queued before signal percentages were told apart may hold a 0 dBm.
  signalDbm: z.number().int().min(-150).max(0).nullable(),
  // Jobs queued before the column existed carry no percentage.
  signalPercent: z.number().int().min(0).max(100).nullable().default(null),
  charging: z.boolean().nullable(),
  firmware: text(64),
  reportedAt: instant,
  receivedAt: instant,
}) satisfies z.ZodType<DeviceTelemetryJob>;

const sensorData = z.strictObject({
  messageKey,
  sensorId: id,
  kind: z.enum(SENSOR_KINDS),
  value: finite.min(-1e6).max(1e6),
  unit: text(16),
  readAt: instant,
  receivedAt: instant,
}) satisfies z.ZodType<SensorDataJob>;

const deviceAlert = z.strictObject({
  messageKey,
  deviceId: id,
  type: z.enum(DEVICE_ALERT_TYPES),
  guardId: id.nullable(),
  location: z
    .strictObject({ lat: finite.min(-90).max(90), lon: finite.min(-180).max(180) })
    .nullable(),
  message: text(2000),
  raisedAt: instant,
  receivedAt: instant,
}) satisfies z.ZodType<DeviceAlertJob>;

const systemHealth = z.strictObject({
  messageKey,
  component: id,
  status: z.enum(HEALTH_STATUSES),
  detail: text(1000),
  metrics: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), finite)
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 metrics')
    .nullable(),
  reportedAt: instant,
  receivedAt: instant,
}) satisfies z.ZodType<SystemHealthJob>;

const commandAck = z.strictObject({
  messageKey,
  deviceId: id,
  commandId: z.uuid(),
  result: z.enum(COMMAND_ACK_RESULTS),
  detail: text(500),
  repliedAt: instant,
}) satisfies z.ZodType<CommandAckJob>;

/** Every task's job data schema. */
export const JOB_DATA_SCHEMAS: Record<TaskName, z.ZodType> = {
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
};

/** The job's data when it is what its task expects; otherwise why not (a few issues, no values). */
export function checkJobData(
  task: string,
  data: unknown,
): { ok: true; data: unknown } | { ok: false; reason: string } {
  const schema = (JOB_DATA_SCHEMAS as Record<string, z.ZodType | undefined>)[task];
  if (!schema) return { ok: false, reason: `unknown task "${task.slice(0, 64)}"` };
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, data: result.data };
  const reason = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'data'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason };
}
