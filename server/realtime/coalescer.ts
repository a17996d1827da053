/**
 * Coalesces high-frequency updates per site room, holding only the latest
 * update per id. A room that sent nothing for an interval gets an update at
 * once (on the next turn of the event loop, so one read of events stays one
 * batch); a busy room gets at most one batch per interval. 2,000 guards at
 * 1 Hz still become a few small emits a second per room instead of 2,000,
 * while a quiet site does not wait out a window it does not need. The same
 * for device statuses and sensor readings at their slower interval.
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
  /** The shortest time between two batches to one room. */
  intervalMs: number;
  flush: FlushBatch<T>;
}

interface Room<T> {
  pending: Map<string, T>;
  /** When this room last got a batch (epoch ms). */
  sentAt: number;
  /** Cancels the scheduled send of what is pending, if one is scheduled. */
  cancel: (() => void) | null;
}

/** stop() sends what is pending and cancels what is scheduled. */
export function createCoalescer<T>({
  roomOf,
  keyOf,
  timeOf,
  intervalMs,
  flush,
}: CoalescerOptions<T>) {
  const rooms = new Map<string, Room<T>>();
  /** Per id, the time of the newest update sent. One number per id. */
  const sentTimeOf = new Map<string, number>();

  function send(name: string, room: Room<T>): void {
    room.cancel = null;
    if (room.pending.size === 0) return;
    const batch = [...room.pending.values()];
    room.pending = new Map();
    room.sentAt = Date.now();
    for (const update of batch) sentTimeOf.set(keyOf(update), timeOf(update));
    flush(name, batch);
  }

  function schedule(name: string, room: Room<T>): void {
    if (room.cancel) return;
    // Clamped: a wall clock set back must not hold a room for longer than one interval.
    const wait = Math.min(intervalMs, room.sentAt + intervalMs - Date.now());
    if (wait <= 0) {
      const immediate = setImmediate(send, name, room);
      room.cancel = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(send, wait, name, room).unref();
      room.cancel = () => clearTimeout(timer);
    }
  }

  return {
    add(update: T): void {
      const key = keyOf(update);
      const at = timeOf(update);
      if (at < (sentTimeOf.get(key) ?? -Infinity)) return;
      const name = roomOf(update);
      let room = rooms.get(name);
      if (!room) rooms.set(name, (room = { pending: new Map(), sentAt: -Infinity, cancel: null }));
      const previous = room.pending.get(key);
      if (!previous || timeOf(previous) <= at) room.pending.set(key, update);
      schedule(name, room);
    },
    stop(): void {
      for (const [name, room] of rooms) {
        room.cancel?.();
        send(name, room);
      }
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
