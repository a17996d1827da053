/**
 * Interprets a decoded payload of a known topic kind into the job data of its
 * task: the kind's schema, the device clock check, the idempotency key, then
 * the job. Never throws for bad input.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { DeviceAlertJob } from '../handlers/device-alert';
import type { DeviceTelemetryJob } from '../handlers/device-telemetry';
import type { GuardGpsJob } from '../handlers/guard-gps';
import type { GuardStatusJob } from '../handlers/guard-status';
import type { SensorDataJob } from '../handlers/sensor-data';
import type { SystemHealthJob } from '../handlers/system-health';
import type { JobDataOf } from '../../contract/job-data';
import type { CommandAckJob } from '../handlers/command-ack';
import type { DeviceAlertType } from '../../contract/alerts';
import {
  commandAckPayload,
  deviceAlertPayload,
  deviceTelemetryPayload,
  deviceTimeToMs,
  guardGpsPayload,
  guardStatusPayload,
  sensorReadingPayload,
  splitSignal,
  systemHealthPayload,
} from './payloads';
import type { IngestTaskName, ParsedTopic } from './topics';

export type InterpretFailure = 'schema' | 'clock_skew';

/** A message's job (its task and that task's data), or why it was refused. */
export type Interpretation<T extends IngestTaskName = IngestTaskName> =
  | { ok: true; task: T; messageKey: string; data: JobDataOf<T> }
  | { ok: false; reason: InterpretFailure; detail: string };

export interface InterpretContext {
  topic: string;
  rawPayload: Uint8Array;
  receivedAt: number;
  /** How far in the future a device clock may be before a message is refused. */
  maxClockSkewMs: number;
}

/** The idempotency key: the device's message id when given, else a hash of topic and bytes. */
export function messageKeyOf(topic: string, msgId: string | undefined, raw: Uint8Array): string {
  const hash = createHash('sha256').update(topic).update('\n');
  hash.update(msgId === undefined ? raw : `id:${msgId}`);
  return hash.digest('hex');
}

/** What every job builder gets besides the payload. */
interface Envelope {
  id: string;
  kind: string;
  messageKey: string;
  /** Device time, epoch ms. */
  at: number;
  receivedAt: number;
}

interface Interpreter<S extends z.ZodType, TJob> {
  schema: S;
  build(payload: z.infer<S>, envelope: Envelope): TJob;
}

const interpreter = <S extends z.ZodType, TJob>(i: Interpreter<S, TJob>) => i;

/** Each task's payload schema and the builder of its job data: a builder of the wrong job does not compile. */
const INTERPRETERS: { [T in IngestTaskName]: Interpreter<z.ZodType, JobDataOf<T>> } = {
  process_guard_gps: interpreter({
    schema: guardGpsPayload,
    build: (p, e): GuardGpsJob => ({
      messageKey: e.messageKey,
      guardId: e.id,
      lat: p.lat,
      lon: p.lon,
      fixAt: e.at,
      accuracyM: p.accuracy,
      speedMps: p.speed ?? null,
      headingDeg: p.heading ?? null,
      receivedAt: e.receivedAt,
    }),
  }),
  process_guard_status: interpreter({
    schema: guardStatusPayload,
    build: (p, e): GuardStatusJob => ({
      messageKey: e.messageKey,
      guardId: e.id,
      status: p.status,
      note: p.note ?? null,
      reportedAt: e.at,
      receivedAt: e.receivedAt,
    }),
  }),
  process_device_telemetry: interpreter({
    schema: deviceTelemetryPayload,
    build: (p, e): DeviceTelemetryJob => ({
      messageKey: e.messageKey,
      deviceId: e.id,
      battery: p.battery,
      ...splitSignal(p.signal),
      charging: p.charging ?? null,
      firmware: p.firmware ?? null,
      reportedAt: e.at,
      receivedAt: e.receivedAt,
    }),
  }),
  process_sensor_data: interpreter({
    schema: sensorReadingPayload,
    build: (p, e): SensorDataJob => ({
      messageKey: e.messageKey,
      sensorId: e.id,
      kind: p.kind,
      value: p.value,
      unit: p.unit ?? null,
      readAt: e.at,
      receivedAt: e.receivedAt,
    }),
  }),
  process_device_alert: interpreter({
    schema: deviceAlertPayload,
    build: (p, e): DeviceAlertJob => ({
      messageKey: e.messageKey,
      deviceId: e.id,
      type: e.kind as DeviceAlertType,
      guardId: p.guardId ?? null,
      location: p.lat !== undefined && p.lon !== undefined ? { lat: p.lat, lon: p.lon } : null,
      message: p.message ?? null,
      raisedAt: e.at,
      receivedAt: e.receivedAt,
    }),
  }),
  process_command_ack: interpreter({
    schema: commandAckPayload,
    build: (p, e): CommandAckJob => ({
      messageKey: e.messageKey,
      deviceId: e.id,
      commandId: p.commandId,
      result: p.result,
      detail: p.detail ?? null,
      repliedAt: e.at,
    }),
  }),
  process_system_health: interpreter({
    schema: systemHealthPayload,
    build: (p, e): SystemHealthJob => ({
      messageKey: e.messageKey,
      component: e.id,
      status: p.status,
      detail: p.detail ?? null,
      metrics: p.metrics ?? null,
      reportedAt: e.at,
      receivedAt: e.receivedAt,
    }),
  }),
};

/** Validates and converts one message; never throws for bad input. */
export function interpretMessage(
  parsed: ParsedTopic,
  value: unknown,
  ctx: InterpretContext,
): Interpretation {
  return interpretAs(parsed.kind.task, parsed, value, ctx);
}

/** interpretMessage for one task, so its job data is checked against that task's. */
function interpretAs<T extends IngestTaskName>(
  task: T,
  parsed: ParsedTopic,
  value: unknown,
  ctx: InterpretContext,
): Interpretation<T> {
  const { schema, build } = INTERPRETERS[task];
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
      .join('; ');
    return { ok: false, reason: 'schema', detail };
  }
  const payload = result.data as { ts: string | number; msgId?: string };
  const atMs = deviceTimeToMs(payload.ts);
  if (atMs - ctx.receivedAt > ctx.maxClockSkewMs) {
    return {
      ok: false,
      reason: 'clock_skew',
      detail: `device time ${new Date(atMs).toISOString()} is in the future`,
    };
  }
  const messageKey = messageKeyOf(ctx.topic, payload.msgId, ctx.rawPayload);
  const envelope: Envelope = {
    id: parsed.id,
    kind: parsed.kind.kind,
    messageKey,
    at: atMs,
    receivedAt: ctx.receivedAt,
  };
  return { ok: true, task, messageKey, data: build(result.data, envelope) };
}
