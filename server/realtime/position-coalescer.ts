/**
 * Coalesces guard positions per site room: at most one batch per room per
 * interval, holding only the latest fix per guard. 2,000 guards at 1 Hz
 * become five small emits a second per room instead of 2,000.
 *
 * A guard never gets a fix older than one already sent: events reach a web
 * node out of order when another node's unacknowledged events are taken over
 * (server/realtime/event-stream.ts), and a map must not jump back.
 */
import type { GuardPositionDto } from './events';

export type FlushBatch = (room: string, positions: GuardPositionDto[]) => void;

/** Starts the flush timer; stop() flushes what is pending and clears it. */
export function createPositionCoalescer(
  roomOf: (p: GuardPositionDto) => string,
  intervalMs: number,
  flush: FlushBatch,
) {
  let pending = new Map<string, Map<string, GuardPositionDto>>();
  /** Per guard, the event time (epoch ms) of the newest fix sent. One number per guard. */
  const sentAt = new Map<string, number>();

  function flushAll(): void {
    const batches = pending;
    pending = new Map();
    for (const [room, byGuard] of batches) {
      for (const p of byGuard.values()) sentAt.set(p.guardId, Date.parse(p.fixAt));
      flush(room, [...byGuard.values()]);
    }
  }

  const timer = setInterval(flushAll, intervalMs);
  timer.unref();

  return {
    add(position: GuardPositionDto): void {
      const at = Date.parse(position.fixAt);
      if (at < (sentAt.get(position.guardId) ?? -Infinity)) return;
      const room = roomOf(position);
      let byGuard = pending.get(room);
      if (!byGuard) pending.set(room, (byGuard = new Map()));
      const previous = byGuard.get(position.guardId);
      if (!previous || Date.parse(previous.fixAt) <= at) byGuard.set(position.guardId, position);
    },
    stop(): void {
      clearInterval(timer);
      flushAll();
    },
  };
}
