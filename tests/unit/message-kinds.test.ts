/** Each topic kind: its task, its job data, and the refusals of its schema. */
import { describe, expect, it } from 'vitest';
import { interpretAt } from '../helpers/interpret';
import { parseTopic, SUBSCRIPTIONS } from '../../server/mqtt/topics';
import { routeFor } from '../../server/queues/routes';

const now = Date.parse('2026-11-28T10:00:00Z');
const ts = now - 1000;

const interpret = (topic: string, payload: unknown) => interpretAt(now, topic, payload);

describe('topic kinds', () => {
  it.each([
    ['device/tracker-9/telemetry', 'process_device_telemetry', 'external_api', 5],
    ['guard/guard-7/gps', 'process_guard_gps', 'high_priority', 8],
    ['guard/guard-7/status', 'process_guard_status', 'high_priority', 7],
    ['sensor/temp-1/reading', 'process_sensor_data', 'external_api', 6],
    ['alert/guard-7/sos', 'process_device_alert', 'critical', 10],
    ['alert/tag-3/man_down', 'process_device_alert', 'critical', 10],
    ['system/gateway-1/health', 'process_system_health', 'maintenance', 2],
  ])('routes %s to %s on %s at priority %i', (topic, task, queue, priority) => {
    const parsed = parseTopic(topic);
    expect(parsed?.kind.task).toBe(task);
    expect(routeFor(task)).toMatchObject({ queue, priority });
  });

  it('refuses an alert type it does not know', () => {
    expect(parseTopic('alert/guard-7/selfie')).toBeNull();
  });

  it('subscribes to the five roots at their QoS', () => {
    expect(SUBSCRIPTIONS).toEqual([
      { filter: 'device/#', qos: 1, lane: 'bulk' },
      { filter: 'guard/#', qos: 1, lane: 'bulk' },
      { filter: 'sensor/#', qos: 1, lane: 'bulk' },
      { filter: 'alert/#', qos: 2, lane: 'critical' },
      { filter: 'system/#', qos: 0, lane: 'bulk' },
    ]);
  });
});

describe('interpretMessage for every kind', () => {
  it('builds telemetry job data', () => {
    expect(interpret('device/tracker-9/telemetry', { battery: 14, signal: -87, ts })).toMatchObject(
      {
        ok: true,
        data: { deviceId: 'tracker-9', battery: 14, signalDbm: -87, charging: null },
      },
    );
  });

  it("accepts the replaced system's own test message: timestamp, signal in percent", () => {
    const seed = { battery: 85, signal: 90, timestamp: '2025-11-01T10:00:00Z' };
    expect(interpret('device/test-123/telemetry', seed)).toMatchObject({
      ok: true,
      data: {
        deviceId: 'test-123',
        battery: 85,
        signalDbm: null,
        signalPercent: 90,
        reportedAt: Date.parse('2025-11-01T10:00:00.000Z'),
      },
    });
  });

  it('tells dBm from percent by range: negative is dBm, 0..100 percent, beyond either refused', () => {
    const data = (signal: number) =>
      interpret('device/t/telemetry', { battery: 50, signal, ts }) as {
        data?: { signalDbm: number | null; signalPercent: number | null };
      };
    expect(data(-1).data).toMatchObject({ signalDbm: -1, signalPercent: null });
    expect(data(-150).data).toMatchObject({ signalDbm: -150, signalPercent: null });
    expect(data(0).data).toMatchObject({ signalDbm: null, signalPercent: 0 });
    expect(data(100).data).toMatchObject({ signalDbm: null, signalPercent: 100 });
    for (const bad of [-151, 101, 55.5]) {
      expect(interpret('device/t/telemetry', { battery: 50, signal: bad, ts })).toMatchObject({
        ok: false,
        reason: 'schema',
      });
    }
  });

  it('needs exactly one of ts and timestamp, and still refuses unknown fields', () => {
    const iso = new Date(ts).toISOString();
    for (const payload of [
      { battery: 50 },
      { battery: 50, ts, timestamp: iso },
      { battery: 50, timestamp: ts },
      { battery: 50, ts, rssi: -70 },
    ]) {
      expect(interpret('device/t/telemetry', payload)).toMatchObject({
        ok: false,
        reason: 'schema',
      });
    }
  });

  it('refuses a battery over 100 or given as text', () => {
    expect(interpret('device/t/telemetry', { battery: 101, ts })).toMatchObject({
      ok: false,
      reason: 'schema',
    });
    expect(interpret('device/t/telemetry', { battery: '80%', ts })).toMatchObject({
      ok: false,
      reason: 'schema',
    });
  });

  it('builds an alert job with its type from the topic and its text untouched', () => {
    const message = `<img src=x onerror=alert(1)>'; DROP TABLE alerts; --`;
    expect(
      interpret('alert/guard-7/sos', { guardId: 'guard-7', lat: 51.2, lon: 4.4, message, ts }),
    ).toMatchObject({
      ok: true,
      task: 'process_device_alert',
      data: {
        deviceId: 'guard-7',
        type: 'sos',
        guardId: 'guard-7',
        location: { lat: 51.2, lon: 4.4 },
        message,
      },
    });
  });

  it('refuses an alert with a latitude but no longitude', () => {
    expect(interpret('alert/guard-7/sos', { lat: 51.2, ts })).toMatchObject({
      ok: false,
      reason: 'schema',
    });
  });

  it('builds sensor and status and health jobs', () => {
    expect(interpret('sensor/smoke-2/reading', { kind: 'smoke', value: 1, ts })).toMatchObject({
      ok: true,
      data: { sensorId: 'smoke-2', kind: 'smoke', value: 1 },
    });
    expect(interpret('guard/guard-7/status', { status: 'break', ts })).toMatchObject({
      ok: true,
      data: { guardId: 'guard-7', status: 'break' },
    });
    expect(
      interpret('system/gw-1/health', { status: 'degraded', metrics: { lag_ms: 40 }, ts }),
    ).toMatchObject({
      ok: true,
      data: { component: 'gw-1', status: 'degraded', metrics: { lag_ms: 40 } },
    });
  });

  it('refuses an unknown sensor kind, duty status and health status', () => {
    expect(interpret('sensor/s/reading', { kind: 'vibes', value: 1, ts })).toMatchObject({
      ok: false,
    });
    expect(interpret('guard/g/status', { status: 'napping', ts })).toMatchObject({ ok: false });
    expect(interpret('system/c/health', { status: 'fine', ts })).toMatchObject({ ok: false });
  });
});
