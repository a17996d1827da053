/**
 * Pushes route and queue statistics to the admins connected to this web
 * node: one read every ADMIN_PUSH_MS while at least one admin is connected
 * (none otherwise), plus one soon after an admin action. Every admin shares
 * the same read, so ten open admin pages cost what one costs.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { AdminStatsDto } from '../realtime/events';
import { listBreakers } from '../commands/breaker-registry';
import type { QueueInspector } from './queue-inspector';

/** An action's effect shows this soon, however many actions come at once. */
const NUDGE_MS = 150;

export interface AdminFeedOptions {
  inspector: QueueInspector;
  redis: Redis;
  prefix: string;
  intervalMs: number;
  logger: Logger;
}

export interface AdminFeed {
  /** One fresh read (also what GET /api/admin/overview serves). */
  snapshot(): Promise<AdminStatsDto>;
  /** Starts pushing; `listening()` says whether any admin is connected here. */
  start(emit: (stats: AdminStatsDto) => void, listening: () => boolean): void;
  /** Pushes soon (after an admin action). */
  nudge(): void;
  stop(): void;
}

/** Creates the feed; it pushes nothing until start(). */
export function createAdminFeed({
  inspector,
  redis,
  prefix,
  intervalMs,
  logger,
}: AdminFeedOptions): AdminFeed {
  let timer: ReturnType<typeof setInterval> | null = null;
  let nudgeTimer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let push: () => Promise<void> = async () => undefined;

  async function snapshot(): Promise<AdminStatsDto> {
    const [{ routes, queues }, breakers] = await Promise.all([
      inspector.overview(),
      listBreakers(redis, prefix),
    ]);
    return { at: new Date().toISOString(), routes, queues, breakers };
  }

  return {
    snapshot,
    start(emit, listening) {
      push = async () => {
        // One read at a time: a slow Redis must not pile reads up.
        if (running || !listening()) return;
        running = true;
        try {
          emit(await snapshot());
        } catch (error) {
          logger.warn({ err: (error as Error).message }, 'admin stats read failed');
        } finally {
          running = false;
        }
      };
      timer = setInterval(() => void push(), intervalMs);
      timer.unref();
    },
    nudge() {
      if (nudgeTimer) return;
      nudgeTimer = setTimeout(() => {
        nudgeTimer = null;
        void push();
      }, NUDGE_MS);
      nudgeTimer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (nudgeTimer) clearTimeout(nudgeTimer);
    },
  };
}
