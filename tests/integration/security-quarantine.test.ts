/**
 * The quarantine against the real Redis (issue 10, point 9): details are
 * truncated, and one device flooding refusals cannot push everyone else's out.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createQuarantine,
  DETAIL_CHARS,
  listQuarantine,
  PER_SOURCE_PER_MINUTE,
  quarantineKey,
} from '../../server/mqtt/quarantine';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const redis = new Redis(requireServiceUrls().redisUrl);
const prefix = uniqueId('wft-quarantine');

afterAll(async () => {
  const keys = await redis.keys(`${quarantineKey(prefix)}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('the quarantine', () => {
  it('keeps a flooding device to its share and truncates what it keeps', async () => {
    const quarantine = createQuarantine(redis, prefix, 100);
    const payload = Buffer.from('{}');
    const at = Date.now();
    for (let i = 0; i < 500; i++) {
      await quarantine.record(
        { at, topic: 'gps/flooder/fix', reason: 'invalid', detail: 'x'.repeat(10_000) },
        payload,
      );
    }
    await quarantine.record(
      { at, topic: 'alert/quiet-one/sos', reason: 'invalid', detail: 'one bad SOS' },
      payload,
    );
    const { total, items } = await listQuarantine(redis, prefix, 0, 100);
    expect(total).toBe(PER_SOURCE_PER_MINUTE + 1);
    expect(items[0]).toMatchObject({ topic: 'alert/quiet-one/sos', detail: 'one bad SOS' });
    const flooded = items.filter((item) => item.topic === 'gps/flooder/fix');
    expect(flooded).toHaveLength(PER_SOURCE_PER_MINUTE);
    expect(flooded[0]!.detail.length).toBeLessThanOrEqual(DETAIL_CHARS + 1);
  });
});
