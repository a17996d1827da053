/**
 * Payload schemas, one per topic kind. Unknown fields are refused (strict
 * objects): a device that sends a field we do not know has a contract bug that
 * should surface in the quarantine, not be silently dropped.
 */
import { z } from 'zod';

const deviceTime = z.union([
  z.iso.datetime({ offset: true }),
  z.number().int().positive().describe('epoch milliseconds'),
]);

/** A GPS fix from a guard's device. */
export const guardGpsPayload = z
  .strictObject({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    /** Horizontal accuracy in metres. */
    accuracy: z.number().min(0).max(10_000),
    /** Metres per second. */
    speed: z.number().min(0).max(100).optional(),
    /** Degrees clockwise from north. */
    heading: z.number().min(0).lt(360).optional(),
    ts: deviceTime,
    /** The device's own message id, when it has one: the idempotency key. */
    msgId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
      .optional(),
  })
  .refine((fix) => !(fix.lat === 0 && fix.lon === 0), {
    message: '0,0 is a receiver without a fix, not a position',
    path: ['lat'],
  });

export type GuardGpsPayload = z.infer<typeof guardGpsPayload>;

/** Converts a device timestamp to epoch milliseconds. */
export function deviceTimeToMs(ts: string | number): number {
  return typeof ts === 'number' ? ts : Date.parse(ts);
}
