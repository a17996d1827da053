import { describe, expect, it } from 'vitest';
import { interpretMessage, messageKeyOf } from '../../server/mqtt/messages';
import { parseTopic } from '../../server/mqtt/topics';

const topic = 'guard/guard-7/gps';
const parsed = parseTopic(topic)!;
const now = Date.parse('2026-11-28T10:00:00Z');
const ctx = { topic, rawPayload: new Uint8Array([1]), receivedAt: now, maxClockSkewMs: 30_000 };
const fix = { lat: 51.22, lon: 4.4, accuracy: 5, ts: now - 1000 };

describe('interpretMessage for guard GPS', () => {
  it('turns a valid fix into process_guard_gps job data', () => {
    const result = interpretMessage(parsed, { ...fix, speed: 1.2, heading: 90 }, ctx);
    expect(result).toMatchObject({
      ok: true,
      task: 'process_guard_gps',
      data: {
        guardId: 'guard-7',
        lat: 51.22,
        lon: 4.4,
        accuracyM: 5,
        speedMps: 1.2,
        headingDeg: 90,
        fixAt: Date.parse('2026-11-28T09:59:59.000Z'),
      },
    });
  });

  it('accepts an ISO 8601 fix time', () => {
    const result = interpretMessage(parsed, { ...fix, ts: '2026-11-28T09:59:00+00:00' }, ctx);
    expect(result).toMatchObject({
      ok: true,
      data: { fixAt: Date.parse('2026-11-28T09:59:00.000Z') },
    });
  });

  it.each([
    ['latitude 123', { ...fix, lat: 123 }],
    ['longitude -181', { ...fix, lon: -181 }],
    ['a GPS fix at 0,0', { ...fix, lat: 0, lon: 0 }],
    ['a negative accuracy', { ...fix, accuracy: -1 }],
    ['latitude as a string', { ...fix, lat: '51.22' }],
    ['a missing fix time', { lat: 51.22, lon: 4.4, accuracy: 5 }],
    ['an unknown field', { ...fix, altitude: 12 }],
    ['a heading of 360', { ...fix, heading: 360 }],
    ['an array instead of an object', [fix]],
  ])('refuses %s as a schema violation', (_name, payload) => {
    expect(interpretMessage(parsed, payload, ctx)).toMatchObject({ ok: false, reason: 'schema' });
  });

  it('refuses a fix time in the future beyond the allowed skew', () => {
    const result = interpretMessage(parsed, { ...fix, ts: now + 60_000 }, ctx);
    expect(result).toMatchObject({ ok: false, reason: 'clock_skew' });
  });

  it('accepts a fix from a clock far behind (stored; retention drops it with its day)', () => {
    expect(interpretMessage(parsed, { ...fix, ts: 37 }, ctx)).toMatchObject({
      ok: true,
      data: { fixAt: 37 },
    });
  });

  it('allows a device clock slightly ahead', () => {
    expect(interpretMessage(parsed, { ...fix, ts: now + 5_000 }, ctx)).toMatchObject({ ok: true });
  });
});

describe('messageKeyOf', () => {
  const raw = new TextEncoder().encode('{"a":1}');

  it('is the same for a redelivered message', () => {
    expect(messageKeyOf(topic, undefined, raw)).toBe(messageKeyOf(topic, undefined, raw.slice()));
  });

  it('differs by topic and by device message id', () => {
    expect(messageKeyOf(topic, undefined, raw)).not.toBe(
      messageKeyOf('guard/g-8/gps', undefined, raw),
    );
    expect(messageKeyOf(topic, 'm1', raw)).not.toBe(messageKeyOf(topic, 'm2', raw));
  });

  it('uses the device message id rather than the bytes when given', () => {
    expect(messageKeyOf(topic, 'm1', raw)).toBe(messageKeyOf(topic, 'm1', new Uint8Array([9])));
  });
});
