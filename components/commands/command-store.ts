/**
 * Client-side device commands keyed by id (what was loaded for a guard, then
 * every change pushed live), and each worker's delivery state: while any
 * worker's publisher breaker is not closed, commands wait in their queue.
 */
import type { CommandDeliveryDto, CommandDto } from '@/contract/commands';

/** Commands kept per target, newest first; older ones drop off. */
const MAX_PER_TARGET = 20;

type Listener = () => void;

export interface CommandStore {
  /** The newest commands of one target; the same array until one of them changes. */
  getForTarget(targetId: string): readonly CommandDto[];
  /** True while some worker cannot hand commands to the broker (its breaker is open). */
  isDelayed(): boolean;
  subscribe(listener: Listener): () => void;
  /** A loaded page of one target's commands and the current delivery states. */
  applyLoaded(commands: readonly CommandDto[], delivery: readonly CommandDeliveryDto[]): void;
  applyCommand(command: CommandDto): void;
  applyDelivery(delivery: CommandDeliveryDto): void;
}

const NONE: readonly CommandDto[] = [];

/** Creates an empty store; one per screen. */
export function createCommandStore(): CommandStore {
  const byTarget = new Map<string, readonly CommandDto[]>();
  const delivery = new Map<string, CommandDeliveryDto>();
  const listeners = new Set<Listener>();
  let delayed = false;

  const notify = () => listeners.forEach((listener) => listener());

  function merge(command: CommandDto) {
    const current = byTarget.get(command.targetId) ?? NONE;
    const known = current.find((c) => c.id === command.id);
    // Pushes and the load may cross: never let an older view of a command replace a newer one.
    if (known && rank(known) > rank(command)) return;
    const next = [command, ...current.filter((c) => c.id !== command.id)]
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, MAX_PER_TARGET);
    byTarget.set(command.targetId, next);
  }

  function refreshDelayed() {
    delayed = [...delivery.values()].some((d) => d.state !== 'closed');
  }

  return {
    getForTarget: (targetId) => byTarget.get(targetId) ?? NONE,
    isDelayed: () => delayed,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    applyLoaded(commands, states) {
      for (const command of commands) merge(command);
      delivery.clear();
      for (const state of states) delivery.set(state.owner, state);
      refreshDelayed();
      notify();
    },
    applyCommand(command) {
      merge(command);
      notify();
    },
    applyDelivery(state) {
      delivery.set(state.owner, state);
      refreshDelayed();
      notify();
    },
  };
}

/** How far a command got: a state only moves forward (failed may follow queued or sent). */
function rank(command: CommandDto): number {
  return { queued: 0, sent: 1, acknowledged: 2, failed: 2 }[command.status];
}
