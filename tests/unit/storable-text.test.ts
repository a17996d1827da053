/** Text PostgreSQL cannot store is handled at the edge: free text repaired and kept, ids refused. */
import { describe, expect, it } from 'vitest';
import { interpretAt } from '../helpers/interpret';
import { parseTopic } from '../../server/mqtt/topics';
import { isStorableText, toStorableText } from '../../contract/storable-text';
import { checkJobData } from '../../server/queues/job-check';

const now = Date.parse('2026-12-05T07:00:00Z');

const interpret = (topic: string, payload: unknown) => interpretAt(now, topic, payload);

describe('storable text', () => {
  it('finds U+0000 and lone surrogates, and nothing else', () => {
    for (const bad of ['a\u0000b', '\ud800', 'x\udc00', '\ud83d!', 'end\ud83d'])
      expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
    for (const good of ['', 'plain', '😀', '\u0001\u007f\u2028\ufeff\uffff', 'e\u0301'])
      expect(isStorableText(good), JSON.stringify(good)).toBe(true);
  });

  it('replaces each unstorable unit by U+FFFD and keeps the rest and the length', () => {
    const input = 'help\u0000 \ud800 me 😀 \udfff';
    const repaired = toStorableText(input);
    expect(repaired).toBe('help\uFFFD \uFFFD me 😀 \uFFFD');
    expect(repaired).toHaveLength(input.length);
    expect(isStorableText(repaired)).toBe(true);
    // Repeated calls see every occurrence (no regex state carried over).
    expect(isStorableText('ok')).toBe(true);
    expect(isStorableText('\u0000')).toBe(false);
    expect(isStorableText('\u0000')).toBe(false);
  });

  it.each([
    ['alert/guard-7/sos', { message: 'SOS\u0000\ud800' }, 'message'],
    ['guard/guard-7/status', { status: 'break', note: 'n\u0000' }, 'note'],
    ['device/tracker-1/telemetry', { battery: 50, firmware: 'v1\u0000' }, 'firmware'],
    ['sensor/temp-1/reading', { kind: 'temperature', value: 1, unit: '\udc00C' }, 'unit'],
    ['system/gw-1/health', { status: 'ok', detail: 'd\u0000' }, 'detail'],
  ])('keeps a %s message with its free text repaired', (topic, body, field) => {
    const result = interpret(topic, { ts: now - 1000, ...body });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const text = (result.data as unknown as Record<string, string>)[field];
    expect(isStorableText(text!)).toBe(true);
    expect(text).toContain('\uFFFD');
    // What the ingest builds, the workers accept.
    expect(checkJobData(result.task, result.data).ok).toBe(true);
  });

  it('refuses ids carrying NUL, with a reason that says what an id may be', () => {
    const guard = interpret('alert/guard-7/sos', { ts: now - 1000, guardId: 'guard-1\u0000' });
    expect(guard).toMatchObject({ ok: false, reason: 'schema' });
    expect(!guard.ok && guard.detail).toMatch(/guardId: an id: letters, digits/);
    const msg = interpret('guard/guard-7/status', {
      ts: now - 1000,
      status: 'break',
      msgId: 'm\u0000',
    });
    expect(!msg.ok && msg.detail).toMatch(/msgId: a message id/);
    expect(parseTopic('guard/guard\u0000-7/gps')).toBeNull();
  });
});
