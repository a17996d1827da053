/**
 * What the flood measurements share: a GPS flood step while a guard's phone
 * sends an SOS (QoS 2) at a fixed interval, each with a unique marker as its
 * message and message id, so the caller can find it again wherever it lands
 * (a socket event, an e-mail, a webhook body) and compare with its publish time.
 */
import mqtt from 'mqtt';
import { runStep, type StepOptions, type StepResult } from './measure';
import { deviceTopic } from '../../contract/topics';

/** The flood step's options, without the label and the `during` hook this file supplies. */
export type FloodOptions = Omit<StepOptions, 'label' | 'during'>;

export interface SosFloodOptions {
  /** Step label and marker prefix (also the broker client id's). */
  name: string;
  intervalMs: number;
  /** How long to wait after the flood for SOS results still in flight. */
  settleMs: number;
}

export interface SosFloodResult {
  flood: StepResult;
  /** Marker -> publish time (epoch ms), one per SOS sent. */
  published: Map<string, number>;
}

/** Runs the flood step with an SOS every `intervalMs`, from 3 s in until 1 s before its end. */
export async function runSosDuringFlood(
  options: FloodOptions,
  sos: SosFloodOptions,
): Promise<SosFloodResult> {
  const published = new Map<string, number>();
  const run = Date.now().toString(36);
  const client = await mqtt.connectAsync(options.mqtt.url, {
    clientId: `wfbench-${sos.name}-${run}`,
    username: options.mqtt.username,
    password: options.mqtt.password,
    protocolVersion: 5,
  });
  const during = async () => {
    // Let the flood build up first, so each SOS competes with a real backlog.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const until = Date.now() + (options.durationS - 4) * 1000;
    let n = 0;
    while (Date.now() < until) {
      const ts = Date.now();
      const marker = `bench-${sos.name}-${run}-${++n}`;
      published.set(marker, ts);
      const guardId = `bench-flood-g${(n % 50) + 1}`;
      void client.publishAsync(
        deviceTopic('alert', guardId, 'sos'),
        JSON.stringify({ guardId, message: marker, ts, msgId: marker }),
        { qos: 2 },
      );
      await new Promise((resolve) => setTimeout(resolve, sos.intervalMs));
    }
  };
  try {
    const flood = await runStep({ ...options, label: sos.name, during });
    await new Promise((resolve) => setTimeout(resolve, sos.settleMs));
    return { flood, published };
  } finally {
    await client.endAsync();
  }
}
