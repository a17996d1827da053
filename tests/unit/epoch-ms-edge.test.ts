/** Times cross every edge as epoch ms; ISO 8601 from before is still read as the same instant. */
import { describe, expect, it } from 'vitest';
import { epochMsParamSchema, epochMsSchema } from '../../contract/time';

const iso = '2026-11-28T09:00:00.123Z';
const ms = Date.parse(iso);

describe('a time at the edge', () => {
  it('reads epoch ms from a URL query, and ISO 8601 with an offset as the same instant', () => {
    expect(epochMsParamSchema.parse(String(ms))).toBe(ms);
    expect(epochMsParamSchema.parse(iso)).toBe(ms);
    expect(epochMsParamSchema.parse('2026-11-28T10:00:00.123+01:00')).toBe(ms);
  });

  it('reads epoch ms from JSON, and ISO 8601 text as the same instant', () => {
    expect(epochMsSchema.parse(ms)).toBe(ms);
    expect(epochMsSchema.parse(iso)).toBe(ms);
  });

  it.each(['yesterday', '-5', '1.5', '', '2026-11-28T09:00:00', '1'.repeat(16)])(
    'refuses %j in a query, saying which forms it takes',
    (text) => {
      const result = epochMsParamSchema.safeParse(text);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/epoch milliseconds/);
    },
  );

  it.each([-1, 1.5, Number.NaN, '12345', null])('refuses %j in JSON', (value) => {
    expect(epochMsSchema.safeParse(value).success).toBe(false);
  });
});
