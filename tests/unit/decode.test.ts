import { describe, expect, it } from 'vitest';
import { decodePayload, jsonNestingDepth } from '../../server/mqtt/decode';

const limits = { maxBytes: 1024, maxDepth: 4 };
const bytes = (text: string) => new TextEncoder().encode(text);

describe('decodePayload', () => {
  it('parses a valid JSON object', () => {
    expect(decodePayload(bytes('{"a":[1,2]}'), limits)).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it('refuses a payload over the size limit before decoding it', () => {
    const result = decodePayload(new Uint8Array(1025).fill(0x20), limits);
    expect(result).toMatchObject({ ok: false, reason: 'oversize' });
  });

  it('refuses bytes that are not strict UTF-8', () => {
    const result = decodePayload(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), limits);
    expect(result).toMatchObject({ ok: false, reason: 'invalid_utf8' });
  });

  it('refuses text that is not JSON', () => {
    expect(decodePayload(bytes('lat=51.2'), limits)).toMatchObject({
      ok: false,
      reason: 'invalid_json',
    });
  });

  it('refuses nesting deeper than allowed', () => {
    expect(decodePayload(bytes('[[[[[1]]]]]'), limits)).toMatchObject({
      ok: false,
      reason: 'too_deep',
    });
    expect(decodePayload(bytes('[[[[1]]]]'), limits)).toMatchObject({ ok: true });
  });
});

describe('jsonNestingDepth', () => {
  it('ignores brackets inside strings, including escaped quotes', () => {
    expect(jsonNestingDepth('{"a":"[[[[\\"{{{"}')).toBe(1);
  });

  it('counts objects and arrays alike', () => {
    expect(jsonNestingDepth('{"a":[{"b":[]}]}')).toBe(4);
  });
});
