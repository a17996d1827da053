/** Device commands: what screens send and see, and how far a command got. */

/** The longest text message a command may carry to a guard's device. */
export const COMMAND_TEXT_MAX_LENGTH = 500;

/** What a command is sent to: a guard (through the device they carry) or a device. */
export const COMMAND_TARGET_KINDS = ['guard', 'device'] as const;
export type CommandTargetKind = (typeof COMMAND_TARGET_KINDS)[number];

/** A device command and how far it got (server/commands). */
export interface CommandDto {
  id: string;
  targetKind: CommandTargetKind;
  targetId: string;
  siteId: string | null;
  type: 'locate' | 'message' | 'sos_ack';
  /** Arguments of the type (message text, alert id): inert text for screens. */
  payload: Record<string, unknown>;
  status: 'queued' | 'sent' | 'acknowledged' | 'failed';
  requestedBy: { id: string; name: string } | null;
  createdAt: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  failedAt: string | null;
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
  state: BreakerDto['state'];
  since: string;
}

/** A circuit breaker's state as one process reported it. */
export interface BreakerDto {
  name: string;
  /** host:pid of the process that owns it. */
  owner: string;
  state: 'closed' | 'open' | 'half_open' | 'isolated';
  /** ISO 8601: when it entered this state. */
  since: string;
  /** Times it opened since the process started. */
  opens: number;
  /** Failures in a row that last opened it from closed (its threshold at work). */
  failuresToOpen: number | null;
  /** Last failure that counted against it, as text. */
  lastFailure: string | null;
  reportedAt: string;
}
