/**
 * The account use cases every entry point shares (admin API routes and the
 * `npm run users` / `npm run kiosk` CLIs): change -> audit (in the change's
 * own transaction) -> publish `credentials.changed`, so every web node drops
 * or re-checks the live sockets of that user or wall at once, whoever made
 * the change and from where.
 */
import type pg from 'pg';
import type { AuditInput } from '../audit/audit-log';
import { createKioskToken, revokeKioskToken } from '../auth/kiosk-tokens';
import type { EpochMs } from '../../contract/time';
import type { KioskTokenInfo, UserDto } from '../../contract/users';
import { CHANNEL_EVENTS, type ChannelEvent } from '../realtime/channel-events';
import {
  changesAccess,
  createUser,
  deleteUser,
  updateUser,
  type CreateUserInput,
  type UpdateUserInput,
} from './users';

/** What the use cases need: the database and the event channel. */
export interface AccountDeps {
  pool: pg.Pool;
  publish(event: ChannelEvent): void;
}

/** Who made the change: an admin through the API (with the client address), or the CLI. */
export interface Actor {
  id: string | null;
  /** Shown in the audit log; default the user's email. "cli" for the command line. */
  label?: string;
  address?: string | null;
}

/** The command line, as an actor. */
export const CLI_ACTOR: Actor = { id: null, label: 'cli' };

function entry(actor: Actor, change: Omit<AuditInput, 'actorId' | 'actorLabel'>): AuditInput {
  return {
    ...change,
    actorId: actor.id,
    actorLabel: actor.label,
    details: { ...change.details, ...(actor.address ? { address: actor.address } : {}) },
  };
}

const changed = (principalId: string): ChannelEvent => ({
  type: CHANNEL_EVENTS.credentialsChanged,
  payload: { principalId },
});

/** The audited verb: enabling and disabling read better in the log than a generic update. */
function actionOf(input: UpdateUserInput): string {
  if (input.disabled === true) return 'user.disable';
  if (input.disabled === false) return 'user.enable';
  if (input.password && Object.keys(input).length === 1) return 'user.set_password';
  if (input.notificationEmail !== undefined && Object.keys(input).length === 1)
    return 'user.set_notification_email';
  return 'user.update';
}

/** Creates a user, audited. */
export function createAccount(deps: AccountDeps, actor: Actor, input: CreateUserInput) {
  return createUser(deps.pool, input, (user) =>
    entry(actor, {
      action: 'user.create',
      target: `user:${user.id}`,
      details: {
        email: user.email,
        name: user.name,
        role: user.role,
        siteIds: user.siteIds,
        notificationEmail: user.notificationEmail,
      },
    }),
  );
}

/** Changes a user, audited; a change of access drops their live screens everywhere. */
export async function changeAccount(
  deps: AccountDeps,
  actor: Actor,
  id: string,
  input: UpdateUserInput,
): Promise<UserDto> {
  const user = await updateUser(deps.pool, id, input, (after) =>
    entry(actor, {
      action: actionOf(input),
      target: `user:${id}`,
      // What changed, never the password itself.
      details: { email: after.email, ...input, password: input.password ? 'changed' : undefined },
    }),
  );
  if (changesAccess(input)) deps.publish(changed(id));
  return user;
}

/** Deletes a user, audited; their live screens drop. */
export async function removeAccount(deps: AccountDeps, actor: Actor, id: string): Promise<UserDto> {
  const user = await deleteUser(deps.pool, id, (removed) =>
    entry(actor, {
      action: 'user.delete',
      target: `user:${id}`,
      details: { email: removed.email, name: removed.name },
    }),
  );
  deps.publish(changed(id));
  return user;
}

/** Creates a wall kiosk token, audited; the token is returned once. */
export function createWallToken(
  deps: AccountDeps,
  actor: Actor,
  input: { name: string; siteIds: string[] | 'all'; expiresAt?: EpochMs | null },
) {
  return createKioskToken(deps.pool, { ...input, createdById: actor.id }, (info) =>
    entry(actor, {
      action: 'kiosk.create',
      target: `kiosk:${info.id}`,
      details: { name: info.name, siteIds: info.siteIds, expiresAt: info.expiresAt },
    }),
  );
}

/** Revokes a wall token, audited; walls showing it drop at once. Null: no such active token. */
export async function revokeWallToken(
  deps: AccountDeps,
  actor: Actor,
  id: string,
): Promise<KioskTokenInfo | null> {
  const revoked = await revokeKioskToken(deps.pool, id, (info) =>
    entry(actor, { action: 'kiosk.revoke', target: `kiosk:${id}`, details: { name: info.name } }),
  );
  if (revoked) deps.publish(changed(id));
  return revoked;
}
