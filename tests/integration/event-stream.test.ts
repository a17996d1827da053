/**
 * The broadcast stream between workers and web nodes on the real Redis: two
 * web nodes' consumers share one group, so each event is routed by exactly
 * one of them; a node that died holding events it had not acknowledged loses
 * them to a live node after CLAIM_IDLE_MS, which skips those the dead node had
 * already broadcast (their receipts in the adapter stream); per-node events
 * reach every node.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import {
  createEventPublisher,
  eventStreamKey,
  subscribeToEvents,
} from '../../server/realtime/event-channel';
import { CLAIM_IDLE_MS, startEventStream, WEB_GROUP } from '../../server/realtime/event-stream';
import { CHANNEL_EVENTS, type ChannelEvent } from '../../server/realtime/channel-events';
import { createBroadcastReceipts } from '../../server/realtime/broadcast-receipts';
import { createChannelCodec } from '../../server/security/channel-codec';
import { sealedRedis } from '../../server/security/sealed-redis';
import { generateFernetKey } from '../../server/security/fernet';
import { removeKeysWithPrefix } from '../../scripts/lib/run-registry';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const channel = `wft-${uniqueId('stream')}:events`;
const security = { codec: createChannelCodec(generateFernetKey()) };
const adapterStream = `${channel}:socket.io`;
const logger = createLogger('silent');
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(requireServiceUrls().redisUrl, { maxRetriesPerRequest: null });
  connections.push(redis);
  return redis;
};
let publish: ReturnType<typeof createEventPublisher>;

/** A web node's receipts over the (sealed) adapter client, as web-role.ts wires them. */
function nodeReceipts() {
  const receipts = createBroadcastReceipts(adapterStream);
  const adapterRedis = receipts.tag(sealedRedis(connect(), { ...security, onRejected: () => {} }));
  return { receipts, adapterRedis };
}

const health = (n: number): ChannelEvent => ({
  type: CHANNEL_EVENTS.componentHealth,
  payload: {
    component: `c-${n}`,
    siteId: null,
    metrics: null,
    status: 'ok',
    detail: null,
    reportedAt: Date.now(),
  },
});
const component = (e: ChannelEvent) => (e.payload as { component: string }).component;

beforeAll(() => {
  publish = createEventPublisher(connect(), channel, logger, security);
});

afterAll(async () => {
  await removeKeysWithPrefix(connections[0]!, channel);
  for (const redis of connections) redis.disconnect();
});

describe('the broadcast stream', () => {
  it('hands each event to exactly one of two web nodes, and a dead node’s to a live one', async () => {
    const routed: string[][] = [[], []];
    // The group exists once a node has joined; then a node reads five events and dies unacknowledged.
    await startEventStream({
      redis: connect(),
      channel,
      security,
      logger,
      onEvent: () => {},
      receipts: nodeReceipts().receipts,
    }).stop();
    for (let n = 0; n < 5; n++) publish(health(1000 + n));
    const stream = eventStreamKey(channel);
    const dead = connect();
    await waitFor(async () => (await dead.xlen(stream)) >= 5, { what: 'the events' });
    const [read] = (await dead.xreadgroup(
      'GROUP',
      WEB_GROUP,
      'dead-node',
      'COUNT',
      5,
      'STREAMS',
      stream,
      '>',
    )) as [string, [string, string[]][]][];
    const taken = read![1];
    // It had broadcast the first two (the adapter's XADD, as a Socket.IO broadcast makes it)
    // and died before its XACK: those two were on every screen already.
    const deadNode = nodeReceipts();
    for (const [id] of taken.slice(0, 2)) {
      let added: Promise<unknown> = Promise.resolve();
      deadNode.receipts.routing(id, () => {
        added = deadNode.adapterRedis.xadd(adapterStream, '*', 'uid', 'dead', 'type', '3');
      });
      await added;
    }
    const live = [0, 1].map((i) =>
      startEventStream({
        redis: connect(),
        channel,
        security,
        logger,
        onEvent: (e) => routed[i]!.push(component(e)),
        receipts: nodeReceipts().receipts,
      }),
    );
    const all = () => [...routed[0]!, ...routed[1]!];
    // In rounds, each routed before the next: both nodes block in XREADGROUP and Redis
    // serves blocked readers first come, first served, so the rounds alternate between
    // them. (200 events at once may all go to one node in a single read.)
    const routedFresh = () => all().filter((c) => Number(c.slice(2)) < 1000).length;
    for (let round = 0; round < 40; round++) {
      for (let n = round * 5; n < round * 5 + 5; n++) publish(health(n));
      await waitFor(() => routedFresh() >= round * 5 + 5, {
        what: `round ${round} routed`,
      });
    }
    // The dead node's three it had not broadcast come back only after CLAIM_IDLE_MS.
    await waitFor(() => all().length >= 203, {
      timeoutMs: CLAIM_IDLE_MS + 15_000,
      what: 'every event routed',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(all().sort()).toEqual(
      [
        ...Array.from({ length: 200 }, (_, n) => `c-${n}`),
        ...Array.from({ length: 3 }, (_, n) => `c-${1002 + n}`),
      ].sort(),
    );
    // Both nodes took part, and nothing is left with the dead one.
    expect(routed.every((r) => r.length > 0)).toBe(true);
    const pending = (await dead.xpending(stream, WEB_GROUP)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
    for (const node of live) await node.stop();
  }, 30_000);

  it('sends per-node events to every web node', async () => {
    const seen: string[][] = [[], []];
    for (const into of seen) {
      await subscribeToEvents(connect(), channel, (e) => into.push(e.type), logger, security);
    }
    publish({ type: CHANNEL_EVENTS.credentialsChanged, payload: { principalId: 'p' } });
    await waitFor(() => seen.every((s) => s.length === 1), { what: 'both nodes' });
    expect(seen).toEqual([
      [CHANNEL_EVENTS.credentialsChanged],
      [CHANNEL_EVENTS.credentialsChanged],
    ]);
  });
});
