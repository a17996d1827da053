/** Device commands: what screens send and see, and how far a command got. */
import type { EpochMs } from './time';

/** The longest text message a command may carry to a guard's device. */
export const COMMAND_TEXT_MAX_LENGTH = 500;

/** What a command is sent to: a guard (through the device they carry) or a device. */
export const COMMAND_TARGET_KINDS = ['guard', 'device'] as const;
export type CommandTargetKind = (typeof COMMAND_TARGET_KINDS)[number];

/** What a command asks of a device. */
export const COMMAND_TYPES = ['locate', 'message', 'sos_ack'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** How far a command got: queued -> sent -> acknowledged, or failed. */
export const COMMAND_STATUSES = ['queued', 'sent', 'acknowledged', 'failed'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** How a device answers a command: done (carried out) or refused (it will not, with a reason). */
export const COMMAND_ACK_RESULTS = ['done', 'refused'] as const;
export type CommandAckResult = (typeof COMMAND_ACK_RESULTS)[number];

/** A circuit breaker's states ('isolated': held open by hand). */
export const BREAKER_STATES = ['closed', 'open', 'half_open', 'isolated'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** A device command and how far it got (server/commands); times in epoch ms. */
export interface CommandDto {
  id: string;
  targetKind: CommandTargetKind;
  targetId: string;
  siteId: string | null;
  type: CommandType;
  /** Arguments of the type (message text, alert id): inert text for screens. */
  payload: Record<string, unknown>;
  status: CommandStatus;
  requestedBy: { id: string; name: string } | null;
  createdAt: EpochMs;
  sentAt: EpochMs | null;
  acknowledgedAt: EpochMs | null;
  failedAt: EpochMs | null;
  error: string | null;
  publishAttempts: number;
}

/**
 * Whether one worker process can hand commands to the broker right now: its
 * publisher's breaker state, without the failure text (that is for admins).
 * While any is open, screens say commands are waiting (they are kept, not lost).
 */
export interface CommandDeliveryDto {
  /** host:pid of the worker process. */
  owner: string;
  state: BreakerState;
  /** Epoch ms: when it entered this state. */
  since: EpochMs;
}

/** A circuit breaker's state as one process reported it. */
export interface BreakerDto {
  name: string;
  /** host:pid of the process that owns it. */
  owner: string;
  state: BreakerState;
  /** Epoch ms: when it entered this state. */
  since: EpochMs;
  /** Times it opened since the process started. */
  opens: number;
  /** Failures in a row that last opened it from closed (its threshold at work). */
  failuresToOpen: number | null;
  /** Last failure that counted against it, as text. */
  lastFailure: string | null;
  /** Epoch ms. */
  reportedAt: EpochMs;
}
