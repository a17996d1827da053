/**
 * Publishing one command through the breaker. The command id travels in the
 * message, so a device that sees it twice (a PUBACK lost, the job retried)
 * carries it out once; the store's conditional updates keep the server side
 * from sending a command that is already sent.
 */
import { hostname } from 'node:os';
import type { BreakerDto, CommandDto } from '../../contract/commands';
import { breakerDto, type CommandBreaker } from './command-breaker';
import type { CommandClient } from './mqtt-command-client';
import { commandTopic } from '../../contract/topics';
import { commandMessage } from './command-schema';

/** The name the breaker is shown under (admin page, /healthz, /metrics). */
export const COMMAND_BREAKER_NAME = 'mqtt_commands';

export interface CommandPublisher {
  /**
   * Publishes; resolves once the broker has it (PUBACK). Rejects at once while
   * the breaker is open, or when the broker does not answer in time.
   * `onAttempt` runs when the call gets past the breaker to the broker client.
   */
  publish(command: CommandDto, onAttempt?: () => void): Promise<void>;
  breaker(): BreakerDto;
}

/** Wraps the client in the breaker. */
export function createCommandPublisher(
  client: CommandClient,
  breaker: CommandBreaker,
): CommandPublisher {
  const owner = `${hostname()}:${process.pid}`;
  return {
    async publish(command, onAttempt) {
      await breaker.execute((signal) => {
        onAttempt?.();
        return client.publish(commandTopic(command), commandMessage(command), signal);
      });
    },
    breaker: () => breakerDto(COMMAND_BREAKER_NAME, owner, breaker),
  };
}
