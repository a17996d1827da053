/**
 * A read pushed to the admins connected to this web node: every intervalMs
 * while at least one admin is connected (nothing otherwise), plus one soon
 * after nudge(). Every admin shares the same read, so ten open admin pages
 * cost what one costs; one read at a time, so a slow backend never piles reads up.
 */
import type { Logger } from '../logger';

/** An action's effect shows this soon, however many actions come at once. */
const NUDGE_MS = 150;

export interface PeriodicPush<T> {
  /** One fresh read (also what the JSON endpoint serves). */
  snapshot(): Promise<T>;
  /** Starts pushing; `listening()` says whether any admin is connected here. */
  start(emit: (value: T) => void, listening: () => boolean): void;
  /** Pushes soon (after an admin action). */
  nudge(): void;
  stop(): void;
}

/** Creates the push; it reads nothing until start(). */
export function createPeriodicPush<T>(options: {
  read: () => Promise<T>;
  intervalMs: number;
  logger: Logger;
  /** Names the read in the warning when it fails. */
  what: string;
}): PeriodicPush<T> {
  const { read, intervalMs, logger, what } = options;
  let timer: ReturnType<typeof setInterval> | null = null;
  let nudgeTimer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let push: () => Promise<void> = async () => undefined;

  return {
    snapshot: read,
    start(emit, listening) {
      push = async () => {
        if (running || !listening()) return;
        running = true;
        try {
          emit(await read());
        } catch (error) {
          logger.warn({ err: (error as Error).message }, `${what} read failed`);
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
