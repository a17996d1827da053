/**
 * What simulated devices say, topic and payload, per topic kind, plus the
 * garbage a misbehaving device sends. Payloads follow the documented schemas
 * (README, "MQTT topics and payloads").
 */
import type { z } from 'zod';
import type { commandAckPayload } from '../../server/mqtt/payloads';
import type { DeviceAlertType } from '../../contract/alerts';
import type { DutyStatus } from '../../contract/guards';
import type { SensorKind } from '../../contract/sensors';
import { commandAckTopic, deviceTopic } from '../../contract/topics';
import type { Fix } from './patrol';

export interface SimMessage {
  topic: string;
  payload: string | Buffer;
  qos: 0 | 1 | 2;
}

/** The kinds the simulator installs: a subset of the contract's. */
const SIMULATED_SENSOR_KINDS = [
  'temperature',
  'humidity',
  'co2',
  'smoke',
  'door',
  'water_leak',
] as const satisfies readonly SensorKind[];
export type SimSensorKind = (typeof SIMULATED_SENSOR_KINDS)[number];

/** The sensor kind of the n-th sensor of a site. */
export function sensorKindOf(n: number): SimSensorKind {
  return SIMULATED_SENSOR_KINDS[n % SIMULATED_SENSOR_KINDS.length]!;
}

/** A GPS fix. */
export function gpsMessage(
  guardId: string,
  fix: Fix,
  ts: number,
  msgId: string,
  qos: 0 | 1 | 2,
): SimMessage {
  return {
    topic: deviceTopic('guard', guardId, 'gps'),
    payload: JSON.stringify({ ...fix, ts, msgId }),
    qos,
  };
}

/** Battery, signal and firmware of a guard's phone. */
export function telemetryMessage(
  deviceId: string,
  battery: number,
  random: () => number,
  ts: number,
  msgId: string,
): SimMessage {
  const signal = -60 - Math.round(random() * 50);
  return {
    topic: deviceTopic('device', deviceId, 'telemetry'),
    payload: JSON.stringify({
      battery: Math.max(0, Math.round(battery)),
      signal,
      charging: false,
      firmware: 'wf-2.4.1',
      ts,
      msgId,
    }),
    qos: 1,
  };
}

/** A duty status change from a guard's app. */
export function statusMessage(
  guardId: string,
  status: DutyStatus,
  ts: number,
  msgId: string,
): SimMessage {
  return {
    topic: deviceTopic('guard', guardId, 'status'),
    payload: JSON.stringify({ status, ts, msgId }),
    qos: 1,
  };
}

/** A sensor reading; now and then a value past its alarm threshold. */
export function sensorMessage(
  sensorId: string,
  kind: SimSensorKind,
  random: () => number,
  ts: number,
  msgId: string,
): SimMessage {
  const alarm = random() < 0.01;
  const value = {
    temperature: alarm ? 65 + random() * 10 : 18 + random() * 6,
    humidity: 35 + random() * 20,
    co2: alarm ? 6000 : 450 + random() * 400,
    smoke: alarm ? 1 : 0,
    door: random() < 0.2 ? 1 : 0,
    water_leak: alarm ? 1 : 0,
  }[kind];
  return {
    topic: deviceTopic('sensor', sensorId, 'reading'),
    payload: JSON.stringify({ kind, value: Math.round(value * 10) / 10, ts, msgId }),
    qos: 1,
  };
}

/** A site gateway's health report (QoS 0, like the real ones). */
export function healthMessage(component: string, random: () => number, ts: number): SimMessage {
  const status = random() < 0.05 ? 'degraded' : 'ok';
  return {
    topic: deviceTopic('system', component, 'health'),
    payload: JSON.stringify({
      status,
      detail: status === 'ok' ? 'all links up' : 'uplink latency high',
      metrics: { uptime_s: Math.round(ts / 1000) % 864000, queue: Math.round(random() * 20) },
      ts,
    }),
    qos: 0,
  };
}

/** An alert from a guard's phone (SOS button, man-down sensor). */
export function alertMessage(
  guardId: string,
  type: Extract<DeviceAlertType, 'sos' | 'man_down'>,
  fix: Fix | null,
  ts: number,
  msgId: string,
): SimMessage {
  const message = type === 'sos' ? 'SOS button pressed' : 'No movement detected for 60 s';
  return {
    topic: deviceTopic('alert', guardId, type),
    payload: JSON.stringify({
      guardId,
      ...(fix ? { lat: fix.lat, lon: fix.lon, accuracy: fix.accuracy } : {}),
      message,
      ts,
      msgId,
    }),
    qos: 2,
  };
}

/** A device's reply to a command (QoS 1: the server must get it to close the command). */
export function commandAckMessage(
  deviceId: string,
  ack: Omit<z.input<typeof commandAckPayload>, 'ts' | 'msgId'>,
  ts: number,
  msgId: string,
): SimMessage {
  return {
    topic: commandAckTopic(deviceId),
    payload: JSON.stringify({ ...ack, ts, msgId }),
    qos: 1,
  };
}

/** What a misbehaving device sends: each kind of garbage the ingest must refuse. */
export function garbageMessage(deviceId: string, random: () => number, ts: number): SimMessage {
  const pick = Math.floor(random() * 6);
  switch (pick) {
    case 0:
      return { topic: deviceTopic('guard', deviceId, 'gps'), payload: 'lat=51.2;lon=4.4', qos: 1 };
    case 1:
      return {
        topic: deviceTopic('guard', deviceId, 'gps'),
        payload: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]),
        qos: 1,
      };
    case 2:
      return {
        topic: deviceTopic('guard', deviceId, 'gps'),
        payload: JSON.stringify({ lat: 123, lon: 4.4, accuracy: 5, ts }),
        qos: 1,
      };
    case 3:
      return {
        topic: deviceTopic('device', deviceId, 'telemetry'),
        payload: JSON.stringify({ battery: '80%', ts }),
        qos: 1,
      };
    case 4:
      return {
        topic: deviceTopic('guard', deviceId, 'gps'),
        payload: `${'['.repeat(64)}${']'.repeat(64)}`,
        qos: 1,
      };
    default:
      return {
        topic: deviceTopic('guard', deviceId, 'gps'),
        payload: Buffer.alloc(8 * 1024, 0x20),
        qos: 1,
      };
  }
}
