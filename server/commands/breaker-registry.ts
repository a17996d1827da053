/**
 * Where each process's breaker state is visible to every web node: a Redis
 * hash under the queue prefix, one field per breaker and process, refreshed
 * at an interval and on every change. Entries of processes that stopped
 * reporting are left out (and swept) by the reader.
 */
import type { RedisClient } from '../redis';
import type { BreakerDto, CommandDeliveryDto } from '../../contract/commands';

/** Reports older than this are of a process that is gone. */
const STALE_AFTER_MS = 30_000;

const key = (prefix: string) => `${prefix}:breakers`;

/** Writes one report; failures are left to the next round (Redis may be down). */
export async function reportBreaker(
  redis: RedisClient,
  prefix: string,
  dto: BreakerDto,
): Promise<void> {
  await redis.hset(key(prefix), `${dto.name}|${dto.owner}`, JSON.stringify(dto));
}

/** Removes this process's report (clean shutdown). */
export async function forgetBreaker(
  redis: RedisClient,
  prefix: string,
  dto: Pick<BreakerDto, 'name' | 'owner'>,
) {
  await redis.hdel(key(prefix), `${dto.name}|${dto.owner}`);
}

/** Every live report, by name then owner. */
export async function listBreakers(
  redis: RedisClient,
  prefix: string,
  now = Date.now(),
): Promise<BreakerDto[]> {
  const all = await redis.hgetall(key(prefix));
  const live: BreakerDto[] = [];
  const stale: string[] = [];
  for (const [field, value] of Object.entries(all)) {
    const dto = JSON.parse(value) as BreakerDto;
    if (now - dto.reportedAt > STALE_AFTER_MS) stale.push(field);
    else live.push(dto);
  }
  if (stale.length) await redis.hdel(key(prefix), ...stale);
  return live.sort((a, b) => a.name.localeCompare(b.name) || a.owner.localeCompare(b.owner));
}

/** Each worker's delivery state for screens: the breaker's state without its failure text. */
export async function listCommandDelivery(
  redis: RedisClient,
  prefix: string,
  name: string,
): Promise<CommandDeliveryDto[]> {
  const breakers = await listBreakers(redis, prefix);
  return breakers
    .filter((b) => b.name === name)
    .map(({ owner, state, since }) => ({ owner, state, since }));
}
