/**
 * Coalesces high-frequency updates per site room: at most one batch per room
 * per interval, holding only the latest update per id. 2,000 guards at 1 Hz
 * become a few small emits a second per room instead of 2,000; the same for
 * device statuses and sensor readings at their slower interval.
 *
 * An id never gets an update older than one already sent for it: events reach
 * a web node out of order when another node's unacknowledged events are taken
 * over (server/realtime/event-stream.ts), and a map or a list must not jump back.
 */
import type { DeviceStatusDto } from '../../contract/devices';
import type { GuardPositionDto } from '../../contract/guards';
import type { SensorReadingDto } from '../../contract/sensors';

export type FlushBatch<T> = (room: string, batch: T[]) => void;

export interface CoalescerOptions<T> {
  roomOf(update: T): string;
  keyOf(update: T): string;
  /** Its time (epoch ms): an update older than the pending or last sent one for its id is dropped. */
  timeOf(update: T): number;
  intervalMs: number;
  flush: FlushBatch<T>;
}

/** Starts the flush timer; stop() flushes what is pending and clears it. */
export function createCoalescer<T>({
  roomOf,
  keyOf,
  timeOf,
  intervalMs,
  flush,
}: CoalescerOptions<T>) {
  let pending = new Map<string, Map<string, T>>();
  /** Per id, the time of the newest update sent. One number per id. */
  const sentAt = new Map<string, number>();

  function flushAll(): void {
    const batches = pending;
    pending = new Map();
    for (const [room, byKey] of batches) {
      for (const [key, update] of byKey) sentAt.set(key, timeOf(update));
      flush(room, [...byKey.values()]);
    }
  }

  const timer = setInterval(flushAll, intervalMs);
  timer.unref();

  return {
    add(update: T): void {
      const key = keyOf(update);
      const at = timeOf(update);
      if (at < (sentAt.get(key) ?? -Infinity)) return;
      const room = roomOf(update);
      let byKey = pending.get(room);
      if (!byKey) pending.set(room, (byKey = new Map()));
      const previous = byKey.get(key);
      if (!previous || timeOf(previous) <= at) byKey.set(key, update);
    },
    stop(): void {
      clearInterval(timer);
      flushAll();
    },
  };
}

/** Guard positions: the latest fix per guard. */
export function createPositionCoalescer(
  roomOf: (p: GuardPositionDto) => string,
  intervalMs: number,
  flush: FlushBatch<GuardPositionDto>,
) {
  return createCoalescer({
    roomOf,
    keyOf: (p) => p.guardId,
    timeOf: (p) => p.fixAt,
    intervalMs,
    flush,
  });
}

/** Device statuses: the latest report per device. */
export function createDeviceStatusCoalescer(
  roomOf: (s: DeviceStatusDto) => string,
  intervalMs: number,
  flush: FlushBatch<DeviceStatusDto>,
) {
  return createCoalescer({
    roomOf,
    keyOf: (s) => s.deviceId,
    timeOf: (s) => s.lastSeenAt,
    intervalMs,
    flush,
  });
}

/** Sensor readings: the latest reading per sensor. */
export function createSensorReadingCoalescer(
  roomOf: (r: SensorReadingDto) => string,
  intervalMs: number,
  flush: FlushBatch<SensorReadingDto>,
) {
  return createCoalescer({
    roomOf,
    keyOf: (r) => r.sensorId,
    timeOf: (r) => r.readAt,
    intervalMs,
    flush,
  });
}
