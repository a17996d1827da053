/**
 * Critical isolation under load: a GPS flood at the given rate while a
 * guard's phone sends an SOS every 250 ms (QoS 2). SOS latency is publish ->
 * the alert event at a Socket.IO client; alerts have their own queue and
 * worker process, so the flood's backlog must not show in it.
 */
import mqtt from 'mqtt';
import { SERVER_EVENTS, type AlertDto } from '../../server/realtime/events';
import { runStep, type StepOptions, type StepResult } from './measure';
import { summarize, type LatencySummary } from './stats';

export interface CriticalFloodResult {
  flood: StepResult;
  sosPublished: number;
  sosReceived: number;
  sosPublishToSocketMs: LatencySummary;
}

/** Runs the flood step with SOS alerts sent alongside. */
export async function runCriticalDuringFlood(
  options: Omit<StepOptions, 'label' | 'during'>,
): Promise<CriticalFloodResult> {
  const latencies: number[] = [];
  const sent = new Set<string>();
  const onAlert = (alert: AlertDto) => {
    if (alert.type === 'sos' && alert.message && sent.has(alert.message)) {
      latencies.push(Date.now() - Date.parse(alert.raisedAt));
    }
  };
  options.socket.on(SERVER_EVENTS.alert, onAlert);
  const client = await mqtt.connectAsync(options.mqtt.url, {
    clientId: `wfbench-sos-${Date.now().toString(36)}`,
    username: options.mqtt.username,
    password: options.mqtt.password,
    protocolVersion: 5,
  });

  const during = async () => {
    // Let the flood build up first, so the SOS competes with a real backlog.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const until = Date.now() + (options.durationS - 4) * 1000;
    let n = 0;
    while (Date.now() < until) {
      const ts = Date.now();
      const message = `bench SOS ${++n}`;
      sent.add(message);
      const guardId = `bench-flood-g${(n % 50) + 1}`;
      void client.publishAsync(
        `alert/${guardId}/sos`,
        JSON.stringify({ guardId, message, ts, msgId: `bench-sos-${ts}-${n}` }),
        { qos: 2 },
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  try {
    const flood = await runStep({ ...options, label: 'flood', during });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return {
      flood,
      sosPublished: sent.size,
      sosReceived: latencies.length,
      sosPublishToSocketMs: summarize(latencies),
    };
  } finally {
    options.socket.off(SERVER_EVENTS.alert, onAlert);
    await client.endAsync();
  }
}
