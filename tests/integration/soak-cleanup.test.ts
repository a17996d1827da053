/** The soak removes its own Redis keys from the shared server, and only those. */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys } from '../../scripts/soak/cleanup';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const redis = new Redis(requireServiceUrls().redisUrl, { maxRetriesPerRequest: null });
redis.on('error', () => undefined);
const ours = uniqueId('wfsoak-test');
const neighbour = uniqueId('wfsoak-neighbour');

afterAll(async () => {
  await redis.del(`${neighbour}:kept`);
  await redis.quit();
});

describe('soak clean-up', () => {
  it('unlinks every key under its prefix, across SCAN pages, and nothing else', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 2500; i++) pipeline.set(`${ours}:job:${i}`, 'x');
    pipeline.xadd(`${ours}:events:socket.io`, '*', 'k', 'v');
    pipeline.set(`${neighbour}:kept`, 'x');
    await pipeline.exec();
    expect(await deleteKeys(redis, [`${ours}:*`])).toBe(2501);
    const [, left] = await redis.scan('0', 'MATCH', `${ours}:*`, 'COUNT', 100_000);
    expect(left).toEqual([]);
    expect(await redis.get(`${neighbour}:kept`)).toBe('x');
  });
});
