/** Tells when an MQTT connection went quiet: messages taken in, and those still in flight. */

/** No message for this long after leaving the group: the broker's queue for us is empty. */
export const DRAIN_QUIET_MS = 750;
/** A drain never takes longer (a flood still arriving is the group's, not ours). */
export const DRAIN_MAX_MS = 60_000;

/** Counts messages and those in flight, to tell when a connection went quiet. */
export function createActivity(now: () => number = Date.now) {
  const inFlight = new Set<Promise<unknown>>();
  let lastAt = now();
  let count = 0;
  return {
    track<T>(work: Promise<T>): Promise<T> {
      lastAt = now();
      count += 1;
      inFlight.add(work);
      void work
        .catch(() => undefined)
        .finally(() => {
          inFlight.delete(work);
          lastAt = now();
        });
      return work;
    },
    /** Resolves when every message taken in was settled. */
    async finished(): Promise<void> {
      await Promise.allSettled([...inFlight]);
    },
    /** Waits until nothing arrived for DRAIN_QUIET_MS and nothing is in flight; the count since start. */
    async settle(quietMs = DRAIN_QUIET_MS, maxMs = DRAIN_MAX_MS): Promise<number> {
      const deadline = now() + maxMs;
      lastAt = Math.max(lastAt, now());
      while (now() < deadline && (inFlight.size > 0 || now() - lastAt < quietMs)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return count;
    },
  };
}
