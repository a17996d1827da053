/**
 * The device simulator: guards walking their sites with phones that report
 * GPS, telemetry and duty status, facility sensors, site gateways reporting
 * health, now and then an SOS or man-down burst, and a misbehaving device
 * sending garbage. Also the benchmark's load generator (mix 'gps'), so
 * publishing is spread over several connections and scheduled in small ticks
 * rather than one timer per device.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { GuardDto, SiteDto } from '../../server/realtime/events';
import type { LonLat } from './geometry';
import {
  alertMessage,
  garbageMessage,
  gpsMessage,
  healthMessage,
  sensorKindOf,
  sensorMessage,
  statusMessage,
  telemetryMessage,
  type SimMessage,
} from './messages';
import { Patrol, type Fix } from './patrol';

export interface SimulatorOptions {
  mqttUrl: string;
  username?: string;
  password?: string;
  sites: SiteDto[];
  /** Known guards; more are invented (`sim-guard-N`) when `guards` asks for more. */
  knownGuards: Pick<GuardDto, 'id' | 'siteId'>[];
  guards: number;
  /** GPS fixes per second per guard. */
  rate: number;
  /** QoS of GPS fixes (other kinds use their documented QoS). */
  qos: 0 | 1 | 2;
  connections: number;
  /** 'realistic': every topic root; 'gps': GPS fixes only (benchmarks). */
  mix: 'realistic' | 'gps';
  /** Mean seconds between SOS/man-down bursts (realistic mix). */
  alertEverySeconds?: number;
  /** Garbage messages per second from a misbehaving device (realistic mix). */
  garbagePerSecond?: number;
  random?: () => number;
  onPublished?: (message: SimMessage, publishedAt: number) => void;
}

export interface SimulatorStats {
  published: number;
  acknowledged: number;
  failed: number;
}

interface Stream {
  nextDueAt: number;
  intervalMs: number;
  fire(now: number): void;
}

const TICK_MS = 20;

/** Connects and starts publishing; stop() waits for outstanding acknowledgements. */
export async function startSimulator(options: SimulatorOptions) {
  const random = options.random ?? Math.random;
  if (options.sites.length === 0) throw new Error('no sites to patrol: run the seed first');
  const runId = Date.now().toString(36);
  const clients: MqttClient[] = await Promise.all(
    Array.from({ length: options.connections }, (_, i) =>
      mqtt.connectAsync(options.mqttUrl, {
        clientId: `watchfloor-sim-${runId}-${i}`,
        username: options.username,
        password: options.password,
        protocolVersion: 5,
        clean: true,
        reconnectPeriod: 1000,
      }),
    ),
  );
  for (const client of clients) client.on('error', () => undefined);

  const stats: SimulatorStats = { published: 0, acknowledged: 0, failed: 0 };
  let outstanding = 0;
  let drained: (() => void) | null = null;
  let seq = 0;
  let nextClient = 0;
  const msgId = () => `${runId}-${++seq}`;

  function send(message: SimMessage, at: number): void {
    stats.published++;
    outstanding++;
    options.onPublished?.(message, at);
    const client = clients[nextClient++ % clients.length]!;
    client.publish(message.topic, message.payload, { qos: message.qos }, (err) => {
      if (err) stats.failed++;
      else stats.acknowledged++;
      if (--outstanding === 0) drained?.();
    });
  }

  const now = Date.now();
  const streams: Stream[] = [];
  // Spread first messages over one interval so devices do not publish in lockstep.
  const every = (intervalMs: number, fire: (t: number) => void) =>
    streams.push({ nextDueAt: now + random() * intervalMs, intervalMs, fire });

  const lastFix = new Map<string, Fix>();
  const guardIds: string[] = [];
  for (let i = 0; i < options.guards; i++) {
    const known = options.knownGuards[i];
    const site =
      options.sites.find((s) => s.id === known?.siteId) ?? options.sites[i % options.sites.length]!;
    const guardId = known?.id ?? `sim-guard-${i + 1}`;
    guardIds.push(guardId);
    const patrol = new Patrol(site.geofence.coordinates[0] as LonLat[], random);
    let lastAt = now;
    every(1000 / options.rate, (t) => {
      const fix = patrol.advance((t - lastAt) / 1000);
      lastAt = t;
      lastFix.set(guardId, fix);
      send(gpsMessage(guardId, fix, t, msgId(), options.qos), t);
    });
    if (options.mix === 'gps') continue;
    let battery = 40 + random() * 60;
    every(30_000, (t) => {
      battery = battery <= 5 ? 100 : battery - random() * 2; // swapped for a charged one when flat
      send(telemetryMessage(guardId, battery, random, t, msgId()), t);
    });
    send(statusMessage(guardId, 'on_duty', now, msgId()), now);
    every(600_000, (t) =>
      send(statusMessage(guardId, random() < 0.8 ? 'patrolling' : 'break', t, msgId()), t),
    );
  }

  if (options.mix === 'realistic') {
    for (const site of options.sites) {
      const short = site.id.replace(/^site-/, '');
      for (let n = 0; n < 4; n++) {
        const sensorId = `sensor-${short}-${n + 1}`;
        every(10_000, (t) => send(sensorMessage(sensorId, sensorKindOf(n), random, t, msgId()), t));
      }
      every(15_000, (t) => send(healthMessage(`gateway-${short}`, random, t), t));
    }
    const alertEveryMs = (options.alertEverySeconds ?? 120) * 1000;
    every(alertEveryMs, (t) => {
      const guardId = guardIds[Math.floor(random() * guardIds.length)]!;
      const type = random() < 0.7 ? 'sos' : 'man_down';
      // A panicking user presses SOS several times: each press is its own message.
      const presses = type === 'sos' ? 1 + Math.floor(random() * 3) : 1;
      for (let p = 0; p < presses; p++)
        send(alertMessage(guardId, type, lastFix.get(guardId) ?? null, t, msgId()), t);
    });
    const garbage = options.garbagePerSecond ?? 0.2;
    if (garbage > 0)
      every(1000 / garbage, (t) => send(garbageMessage('sim-faulty-1', random, t), t));
  }

  const timer = setInterval(() => {
    const t = Date.now();
    for (const stream of streams) {
      if (stream.nextDueAt > t) continue;
      stream.fire(t);
      // Devices do not keep perfect time: +-20 % around the nominal interval.
      stream.nextDueAt += stream.intervalMs * (0.8 + random() * 0.4);
      if (stream.nextDueAt < t - stream.intervalMs) stream.nextDueAt = t; // fell behind: do not burst
    }
  }, TICK_MS);

  return {
    stats: () => ({ ...stats }),
    guardIds,
    async stop(timeoutMs = 10_000): Promise<SimulatorStats> {
      clearInterval(timer);
      if (outstanding > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise((resolve) => setTimeout(resolve, timeoutMs)),
        ]);
      }
      await Promise.all(clients.map((c) => c.endAsync()));
      return { ...stats };
    },
  };
}
