/**
 * Payload schemas, one per topic kind. Unknown fields are refused (strict
 * objects): a device that sends a field we do not know has a contract bug that
 * should surface in the quarantine, not be silently dropped.
 */
import { z } from 'zod';
import { COMMAND_ACK_RESULTS, COMMAND_TEXT_MAX_LENGTH } from '../../contract/commands';
import { GUARD_DUTY_STATUSES } from '../../contract/guards';
import { HEALTH_STATUSES } from '../../contract/health';
import { idSchema, MESSAGE_ID_PATTERN, METRIC_NAME_PATTERN } from '../../contract/ids';
import { SENSOR_KINDS } from '../../contract/sensors';
import { toStorableText } from '../../contract/storable-text';

const deviceTime = z.union([
  z.iso.datetime({ offset: true }),
  z.number().int().positive().describe('epoch milliseconds'),
]);

/**
 * Free text from a device: at most `max` characters, with what PostgreSQL
 * cannot store (U+0000, lone surrogates) replaced by U+FFFD, so the message is
 * kept rather than refused or failing in storage (contract/storable-text.ts).
 */
const freeText = (max: number) => z.string().max(max).transform(toStorableText);

/** An id a device names in a payload: the topic id grammar, so NUL and the like are refused. */
const payloadId = idSchema;

/** The device's own message id, when it has one: the idempotency key. */
const messageId = z
  .string()
  .regex(MESSAGE_ID_PATTERN, 'a message id: letters, digits, _ . : and - (1-100)')
  .optional();

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const notNullIsland = {
  check: (p: { lat?: number; lon?: number }) => !(p.lat === 0 && p.lon === 0),
  message: '0,0 is a receiver without a fix, not a position',
};

/** A GPS fix from a guard's device. */
export const guardGpsPayload = z
  .strictObject({
    lat: latitude,
    lon: longitude,
    /** Horizontal accuracy in metres. */
    accuracy: z.number().min(0).max(10_000),
    /** Metres per second. */
    speed: z.number().min(0).max(100).optional(),
    /** Degrees clockwise from north. */
    heading: z.number().min(0).lt(360).optional(),
    ts: deviceTime,
    msgId: messageId,
  })
  .refine(notNullIsland.check, { message: notNullIsland.message, path: ['lat'] });

export type GuardGpsPayload = z.infer<typeof guardGpsPayload>;

/** Converts a device timestamp to epoch milliseconds. */
export function deviceTimeToMs(ts: string | number): number {
  return typeof ts === 'number' ? ts : Date.parse(ts);
}

/** A guard's duty status change, from the guard's app. */
export const guardStatusPayload = z.strictObject({
  status: z.enum(GUARD_DUTY_STATUSES),
  note: freeText(500).optional(),
  ts: deviceTime,
  msgId: messageId,
});

/**
 * A device's signal: negative is received strength in dBm (-150..-1), zero
 * or positive is a percentage (0..100) as the devices of the system Watchfloor
 * replaces report it. The two ranges do not overlap, so the value says its unit.
 */
export const SIGNAL_DBM_RANGE = { min: -150, max: -1 } as const;
export const SIGNAL_PERCENT_RANGE = { min: 0, max: 100 } as const;

const signalReading = z
  .number()
  .int()
  .min(SIGNAL_DBM_RANGE.min)
  .max(SIGNAL_PERCENT_RANGE.max)
  .describe('dBm when negative, percent when 0..100');

/** Which unit a signal value was given in, by its range (see SIGNAL_DBM_RANGE). */
export function splitSignal(signal: number | undefined): {
  signalDbm: number | null;
  signalPercent: number | null;
} {
  if (signal === undefined) return { signalDbm: null, signalPercent: null };
  return signal < 0
    ? { signalDbm: signal, signalPercent: null }
    : { signalDbm: null, signalPercent: signal };
}

/**
 * Periodic state of a device (tracker, phone, sensor hub). The device time is
 * `ts` (ISO 8601 or epoch ms) or, as the replaced system's devices send it,
 * `timestamp` (ISO 8601): exactly one of the two.
 */
export const deviceTelemetryPayload = z
  .strictObject({
    /** Percent. */
    battery: z.number().int().min(0).max(100),
    signal: signalReading.optional(),
    charging: z.boolean().optional(),
    firmware: freeText(64).optional(),
    ts: deviceTime.optional(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    msgId: messageId,
  })
  .refine((p) => (p.ts === undefined) !== (p.timestamp === undefined), {
    message: 'give the device time as exactly one of ts or timestamp',
    path: ['ts'],
  })
  .transform(({ timestamp, ts, ...rest }) => ({ ...rest, ts: (ts ?? timestamp)! }));

/** One reading of a facility sensor. */
export const sensorReadingPayload = z.strictObject({
  kind: z.enum(SENSOR_KINDS),
  value: z.number().min(-1e6).max(1e6),
  unit: freeText(16).optional(),
  ts: deviceTime,
  msgId: messageId,
});

/** An alert raised on a device: the type is in the topic, the details here. */
export const deviceAlertPayload = z
  .strictObject({
    /** The guard carrying the device, when the device knows it. */
    guardId: payloadId.optional(),
    lat: latitude.optional(),
    lon: longitude.optional(),
    accuracy: z.number().min(0).max(10_000).optional(),
    /** Free text typed or dictated on the device; stored and shown as inert text. */
    message: freeText(2000).optional(),
    ts: deviceTime,
    msgId: messageId,
  })
  .refine((a) => (a.lat === undefined) === (a.lon === undefined), {
    message: 'lat and lon come together',
    path: ['lat'],
  })
  .refine(notNullIsland.check, { message: notNullIsland.message, path: ['lat'] });

/** A component's own health report (gateways, bridges, edge boxes). */
export const systemHealthPayload = z.strictObject({
  status: z.enum(HEALTH_STATUSES),
  detail: freeText(1000).optional(),
  metrics: z
    .record(z.string().regex(METRIC_NAME_PATTERN), z.number())
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 metrics')
    .optional(),
  ts: deviceTime,
  msgId: messageId,
});

/** A device's reply on device/<id>/command_ack: the command id it got (server/commands). */
export const commandAckPayload = z.strictObject({
  commandId: z.uuid(),
  result: z.enum(COMMAND_ACK_RESULTS).default('done'),
  /** Inert text from the device, e.g. why it refused. */
  detail: freeText(500).optional(),
  ts: deviceTime,
  msgId: messageId,
});

/**
 * What a device gets on command/<its id>/<type> (server/commands): the command
 * id to carry it out once and to name in its reply, plus the type's arguments.
 */
export const commandMessagePayload = z.discriminatedUnion('type', [
  z.strictObject({ commandId: z.uuid(), type: z.literal('locate'), issuedAt: z.iso.datetime() }),
  z.strictObject({
    commandId: z.uuid(),
    type: z.literal('message'),
    text: z.string().min(1).max(COMMAND_TEXT_MAX_LENGTH),
    issuedAt: z.iso.datetime(),
  }),
  z.strictObject({
    commandId: z.uuid(),
    type: z.literal('sos_ack'),
    alertId: z.uuid(),
    issuedAt: z.iso.datetime(),
  }),
]);

export type CommandMessagePayload = z.infer<typeof commandMessagePayload>;
