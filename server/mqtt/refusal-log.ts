/**
 * How refused MQTT messages reach the log: the first refusal of each device
 * and reason as a warning with its detail (enough to find the contract bug),
 * then only counts, summarised in one line every `summaryEveryMs`. A device
 * that sends garbage all day (the simulator's faulty one, a broken firmware
 * in the field) costs one line a minute, not one per message; every refusal
 * is still counted in the metrics and kept in the quarantine.
 */
import type { Logger } from '../logger';

/** The topic's device (its second level), or the topic's first 64 characters when it has none. */
function deviceOf(topic: string): string {
  return topic.split('/')[1] || topic.slice(0, 64);
}

export interface RefusalLogOptions {
  summaryEveryMs?: number;
  /** Device+reason pairs remembered as already logged: a spray of ids cannot grow memory. */
  maxKnown?: number;
}

export interface Refusal {
  topic: string;
  reason: string;
  detail: string;
  bytes: number;
}

/** Creates the log; `stop()` writes the last summary and ends the timer. */
export function createRefusalLog(
  logger: Logger,
  { summaryEveryMs = 60_000, maxKnown = 10_000 }: RefusalLogOptions = {},
) {
  const known = new Set<string>();
  /** Refusals since the last summary that were not logged one by one: device -> reason -> n. */
  let counts = new Map<string, Map<string, number>>();
  let counted = 0;

  function record({ topic, reason, detail, bytes }: Refusal): void {
    const device = deviceOf(topic);
    const key = `${device}\n${reason}`;
    if (!known.has(key) && known.size < maxKnown) {
      known.add(key);
      logger.warn(
        { topic: topic.slice(0, 200), device, reason, detail, bytes },
        'mqtt message refused',
      );
      return;
    }
    // Past maxKnown distinct pairs the counts fold into one bucket, so memory stays bounded.
    const bucket = counts.size < maxKnown || counts.has(device) ? device : '(other devices)';
    const byReason = counts.get(bucket) ?? new Map<string, number>();
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    counts.set(bucket, byReason);
    counted += 1;
  }

  /** Logs one summary line of the refusals counted since the last one, if any. */
  function summarise(): void {
    if (counted === 0) return;
    const refused = Object.fromEntries(
      [...counts].map(([device, byReason]) => [device, Object.fromEntries(byReason)]),
    );
    logger.warn(
      { refused, total: counted, devices: counts.size, windowS: summaryEveryMs / 1000 },
      'mqtt messages refused again (already logged once per device and reason)',
    );
    counts = new Map();
    counted = 0;
  }

  const timer = setInterval(summarise, summaryEveryMs);
  timer.unref();

  return {
    record,
    summarise,
    stop() {
      clearInterval(timer);
      summarise();
    },
  };
}

export type RefusalLog = ReturnType<typeof createRefusalLog>;
