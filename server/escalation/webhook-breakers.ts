/**
 * One circuit breaker per webhook (cockatiel, the same policy as device
 * commands: a timeout inside a consecutive-failure breaker), so one dead
 * receiver fails fast without touching the others. Their states are reported
 * to the breaker registry, where the admin page shows them next to the
 * command publisher's.
 */
import { hostname } from 'node:os';
import type { RedisClient } from '../redis';
import { forgetBreaker, reportBreaker } from '../commands/breaker-registry';
import { breakerDto, createCommandBreaker, type CommandBreaker } from '../commands/command-breaker';
import type { Logger } from '../logger';

export interface WebhookBreakers {
  forWebhook(webhook: { id: string; name: string }): CommandBreaker;
  stop(): Promise<void>;
}

export interface WebhookBreakerOptions {
  failures: number;
  halfOpenMs: number;
  timeoutMs: number;
  redis: RedisClient;
  prefix: string;
  logger: Logger;
}

const REPORT_MS = 5_000;

/** Creates breakers on first use. */
export function createWebhookBreakers(options: WebhookBreakerOptions): WebhookBreakers {
  const owner = `${hostname()}:${process.pid}`;
  const breakers = new Map<string, { name: string; breaker: CommandBreaker }>();
  const report = (name: string, breaker: CommandBreaker) =>
    reportBreaker(options.redis, options.prefix, breakerDto(name, owner, breaker)).catch(
      () => undefined,
    );
  const timer = setInterval(() => {
    for (const { name, breaker } of breakers.values()) void report(name, breaker);
  }, REPORT_MS);
  timer.unref();

  return {
    forWebhook(webhook) {
      const existing = breakers.get(webhook.id);
      if (existing) return existing.breaker;
      const name = `webhook:${webhook.name}`;
      const breaker: CommandBreaker = createCommandBreaker({
        failures: options.failures,
        halfOpenMs: options.halfOpenMs,
        maxHalfOpenMs: options.halfOpenMs * 16,
        timeoutMs: options.timeoutMs,
        onStateChange(state) {
          options.logger.warn(
            { webhook: webhook.name, breaker: state },
            'webhook circuit breaker changed state',
          );
          queueMicrotask(() => void report(name, breaker));
        },
      });
      breakers.set(webhook.id, { name, breaker });
      return breaker;
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(
        [...breakers.values()].map(({ name }) =>
          forgetBreaker(options.redis, options.prefix, { name, owner }).catch(() => undefined),
        ),
      );
    },
  };
}
