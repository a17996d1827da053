/**
 * publish_mqtt: sends one stored device command through the circuit-broken
 * publisher. While the broker is unreachable (or the breaker open) the job
 * is put back as delayed without using up an attempt, so a command waits out
 * any outage and is never lost; a command already sent is never sent again.
 */
import { UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import type { PublishMqttJob } from '../../contract/job-data';
import { countPublishAttempt, getCommand, markSent } from '../commands/command-store';
import type { CommandPublisher } from '../commands/command-publisher';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { CHANNEL_EVENTS } from '../realtime/channel-events';
import type { HandlerResult, JobMeta } from './types';

export interface PublishMqttDeps {
  pool: pg.Pool;
  publisher: CommandPublisher;
  /** Base wait before a deferred command tries again (jittered up to twice that). */
  retryDelayMs: number;
  metrics: Metrics;
  logger: Logger;
  random?: () => number;
  now?: () => number;
}

/** Creates the handler. */
export function createPublishMqttHandler(deps: PublishMqttDeps) {
  const { pool, publisher, metrics, logger, random = Math.random, now = Date.now } = deps;
  // The worker checked the job against its schema (contract/job-data.ts) before this runs.
  return async function handle(job: PublishMqttJob, meta: JobMeta): Promise<HandlerResult> {
    const command = await getCommand(pool, job.commandId);
    if (!command) throw new UnrecoverableError(`command ${job.commandId} does not exist`);
    if (command.status === 'sent' || command.status === 'acknowledged') {
      return { outcome: 'duplicate', events: [] };
    }

    let attempted = false;
    try {
      await publisher.publish(command, () => {
        attempted = true;
      });
    } catch (error) {
      if (attempted) await countPublishAttempt(pool, command.id).catch(() => undefined);
      if (!meta.defer) throw error;
      metrics.commandDeferred.inc();
      logger.debug({ commandId: command.id, err: (error as Error).message }, 'command deferred');
      // Jitter spreads the waiting commands so a recovering broker is not hit all at once.
      throw await meta.defer(now() + Math.round(deps.retryDelayMs * (1 + random())));
    }
    await countPublishAttempt(pool, command.id);
    const sent = await markSent(pool, command.id);
    metrics.commandPublished.inc({ type: command.type });
    return {
      outcome: 'stored',
      events: sent ? [{ type: CHANNEL_EVENTS.command, payload: sent }] : [],
    };
  };
}
