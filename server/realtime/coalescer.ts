/**
 * Coalesces high-frequency updates per site room: at most one batch per room
 * per interval, holding only the latest update per id. 2,000 guards at 1 Hz
 * become a few small emits a second per room instead of 2,000; the same for
 * device statuses and sensor readings at their slower interval.
 */
import type { DeviceStatusDto, GuardPositionDto, SensorReadingDto } from './events';

export type FlushBatch<T> = (room: string, batch: T[]) => void;

export interface CoalescerOptions<T> {
  roomOf(update: T): string;
  keyOf(update: T): string;
  /** Its time (ISO 8601): an update older than the pending one for its id is dropped. */
  timeOf(update: T): string;
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

  function flushAll(): void {
    const batches = pending;
    pending = new Map();
    for (const [room, byKey] of batches) flush(room, [...byKey.values()]);
  }

  const timer = setInterval(flushAll, intervalMs);
  timer.unref();

  return {
    add(update: T): void {
      const room = roomOf(update);
      let byKey = pending.get(room);
      if (!byKey) pending.set(room, (byKey = new Map()));
      const key = keyOf(update);
      const previous = byKey.get(key);
      if (!previous || timeOf(previous) <= timeOf(update)) byKey.set(key, update);
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
