/**
 * The device simulator: guards walking their sites with phones that report
 * GPS, telemetry and duty status and answer commands, facility sensors, site
 * gateways reporting health, now and then an SOS or man-down burst, and a
 * misbehaving device sending garbage. Also the benchmark's load generator
 * (mix 'gps', bulk auth), so publishing is scheduled in small ticks rather
 * than one timer per device.
 */
import { randomBytes } from 'node:crypto';
import type { GuardDto, SiteDto } from '../../contract/guards';
import { createCommandResponder, type CommandResponder } from './command-responder';
import { FAULTY_DEVICE_ID, siteGatewayId, siteSensorIds } from './devices';
import type { LonLat } from './geometry';
import { openSimulatorLinks, type SimulatorAuth } from './links';
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
  /** One connection per device with its own credentials, or a few bulk ones (links.ts). */
  auth: SimulatorAuth;
  sites: SiteDto[];
  /** Known guards; more are invented (`sim-guard-N`) when `guards` asks for more. */
  knownGuards: Pick<GuardDto, 'id' | 'siteId'>[];
  guards: number;
  /** GPS fixes per second per guard. */
  rate: number;
  /** QoS of GPS fixes (other kinds use their documented QoS). */
  qos: 0 | 1 | 2;
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
  /** Commands answered (device auth only). */
  commandsAnswered: number;
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
  // Unique per run: two simulators on one broker must not take over each other's client ids.
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const stats: SimulatorStats = { published: 0, acknowledged: 0, failed: 0, commandsAnswered: 0 };
  let outstanding = 0;
  let drained: (() => void) | null = null;
  let seq = 0;
  const msgId = () => `${runId}-${++seq}`;

  // Who is simulated is decided before connecting: in device auth each needs a connection.
  const guardIds = Array.from(
    { length: options.guards },
    (_, i) => options.knownGuards[i]?.id ?? `sim-guard-${i + 1}`,
  );
  const realistic = options.mix === 'realistic';
  const garbage = options.garbagePerSecond ?? 0.2;
  const deviceIds = [
    ...guardIds,
    ...(realistic
      ? options.sites.flatMap((site) => [...siteSensorIds(site.id), siteGatewayId(site.id)])
      : []),
    ...(realistic && garbage > 0 ? [FAULTY_DEVICE_ID] : []),
  ];
  const responders = new Map<string, CommandResponder>();
  const links = await openSimulatorLinks({
    url: options.mqttUrl,
    auth: options.auth,
    runId,
    deviceIds,
    commandTakers: new Set(guardIds),
    onCommand(deviceId, topic, payload) {
      const replies = responders.get(deviceId)?.handle(topic, payload) ?? [];
      if (replies.length > 0) stats.commandsAnswered++;
      const at = Date.now();
      for (const reply of replies) send(deviceId, reply, at);
    },
  });

  function send(deviceId: string, message: SimMessage, at: number): void {
    stats.published++;
    outstanding++;
    options.onPublished?.(message, at);
    links
      .clientFor(deviceId)
      .publish(message.topic, message.payload, { qos: message.qos }, (err) => {
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
  /** Guards whose SOS waits for the control room: they stand still until it is acknowledged. */
  const inSos = new Set<string>();
  guardIds.forEach((guardId, i) => {
    const known = options.knownGuards[i];
    const site =
      options.sites.find((s) => s.id === known?.siteId) ?? options.sites[i % options.sites.length]!;
    const patrol = new Patrol(site.geofence.coordinates[0] as LonLat[], random);
    let lastAt = now;
    const walk = (t: number): Fix => {
      const fix = patrol.advance(inSos.has(guardId) ? 0 : (t - lastAt) / 1000);
      lastAt = t;
      lastFix.set(guardId, fix);
      return fix;
    };
    responders.set(
      guardId,
      createCommandResponder(
        {
          deviceId: guardId,
          locate: () => walk(Date.now()),
          sosActive: () => inSos.has(guardId),
          endSos: () => inSos.delete(guardId),
          showMessage: () => undefined,
        },
        { now: Date.now, msgId },
      ),
    );
    every(1000 / options.rate, (t) =>
      send(guardId, gpsMessage(guardId, walk(t), t, msgId(), options.qos), t),
    );
    if (!realistic) return;
    let battery = 40 + random() * 60;
    every(30_000, (t) => {
      battery = battery <= 5 ? 100 : battery - random() * 2; // swapped for a charged one when flat
      send(guardId, telemetryMessage(guardId, battery, random, t, msgId()), t);
    });
    send(guardId, statusMessage(guardId, 'on_duty', now, msgId()), now);
    every(600_000, (t) =>
      send(guardId, statusMessage(guardId, random() < 0.8 ? 'patrolling' : 'break', t, msgId()), t),
    );
  });

  if (realistic) {
    for (const site of options.sites) {
      siteSensorIds(site.id).forEach((sensorId, n) =>
        every(10_000, (t) =>
          send(sensorId, sensorMessage(sensorId, sensorKindOf(n), random, t, msgId()), t),
        ),
      );
      const gatewayId = siteGatewayId(site.id);
      every(15_000, (t) => send(gatewayId, healthMessage(gatewayId, random, t), t));
    }
    const alertEveryMs = (options.alertEverySeconds ?? 120) * 1000;
    every(alertEveryMs, (t) => {
      const calm = guardIds.filter((id) => !inSos.has(id));
      if (calm.length === 0) return;
      const guardId = calm[Math.floor(random() * calm.length)]!;
      const type = random() < 0.7 ? 'sos' : 'man_down';
      // Answered only by an SOS acknowledgement from the control room (command-responder.ts).
      if (type === 'sos') inSos.add(guardId);
      // A panicking user presses SOS several times: each press is its own message.
      const presses = type === 'sos' ? 1 + Math.floor(random() * 3) : 1;
      for (let p = 0; p < presses; p++)
        send(guardId, alertMessage(guardId, type, lastFix.get(guardId) ?? null, t, msgId()), t);
    });
    if (garbage > 0)
      every(1000 / garbage, (t) =>
        send(FAULTY_DEVICE_ID, garbageMessage(FAULTY_DEVICE_ID, random, t), t),
      );
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
    /** Publishes one alert from a guard now (the soak raises its SOS on a schedule of its own). */
    raiseAlert(guardId: string, type: 'sos' | 'man_down'): number {
      const t = Date.now();
      send(guardId, alertMessage(guardId, type, lastFix.get(guardId) ?? null, t, msgId()), t);
      return t;
    },
    async stop(timeoutMs = 10_000): Promise<SimulatorStats> {
      clearInterval(timer);
      if (outstanding > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise((resolve) => setTimeout(resolve, timeoutMs)),
        ]);
      }
      await links.close();
      return { ...stats };
    },
  };
}
