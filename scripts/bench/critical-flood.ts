/**
 * Critical isolation under load: a GPS flood at the given rate while a
 * guard's phone sends an SOS every 250 ms (QoS 2). SOS latency is publish ->
 * the alert event at a Socket.IO client; alerts have their own queue and
 * worker process, so the flood's backlog must not show in it.
 */
import { SERVER_EVENTS } from '../../contract/socket-events';
import type { AlertDto } from '../../contract/alerts';
import type { StepResult } from './measure';
import { runSosDuringFlood, type FloodOptions } from './sos-during-flood';
import { summarize, type LatencySummary } from './stats';

export interface CriticalFloodResult {
  flood: StepResult;
  sosPublished: number;
  sosReceived: number;
  sosPublishToSocketMs: LatencySummary;
  /** The two halves of it: to the ingest's receipt (alerts.received_at), and from there to the screen. */
  sosPublishToIngestMs?: LatencySummary;
  sosIngestToSocketMs?: LatencySummary;
}

/** Runs the flood step with SOS alerts sent alongside. */
export async function runCriticalDuringFlood(options: FloodOptions): Promise<CriticalFloodResult> {
  // Socket arrival times by marker; the publish times come back with the flood's result.
  const arrivals = new Map<string, number>();
  const onAlert = (alert: AlertDto) => {
    if (alert.type === 'sos' && alert.message && !arrivals.has(alert.message)) {
      arrivals.set(alert.message, Date.now());
    }
  };
  options.socket.on(SERVER_EVENTS.alert, onAlert);
  try {
    const { flood, published } = await runSosDuringFlood(options, {
      name: 'sos',
      intervalMs: 250,
      settleMs: 2000,
    });
    const latencies = [...published].flatMap(([marker, ts]) => {
      const at = arrivals.get(marker);
      return at === undefined ? [] : [at - ts];
    });
    const { rows } = await options.pool.query<{ message: string; received: number }>(
      `SELECT message, EXTRACT(EPOCH FROM received_at) * 1000 AS received
       FROM alerts WHERE message = ANY($1::text[])`,
      [[...published.keys()]],
    );
    const toIngest: number[] = [];
    const ingestToSocket: number[] = [];
    for (const { message, received } of rows) {
      toIngest.push(Number(received) - published.get(message)!);
      const at = arrivals.get(message);
      if (at !== undefined) ingestToSocket.push(at - Number(received));
    }
    return {
      flood,
      sosPublished: published.size,
      sosReceived: latencies.length,
      sosPublishToSocketMs: summarize(latencies),
      sosPublishToIngestMs: summarize(toIngest),
      sosIngestToSocketMs: summarize(ingestToSocket),
    };
  } finally {
    options.socket.off(SERVER_EVENTS.alert, onAlert);
  }
}
