/**
 * PATCH /api/admin/users/:id: change name, role, sites or password, or disable/enable;
 * DELETE: remove. Admins only, audited. Nobody locks themselves (or everyone) out.
 */
import { z } from 'zod';
import { auditRequest } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { CHANNEL_EVENTS } from '@/server/realtime/events';
import { refuseSelfLockout } from '@/server/users/admin-lockout';
import {
  changesAccess,
  deleteUser,
  updateUser,
  updateUserSchema,
  type UpdateUserInput,
} from '@/server/users/users';

type Params = { params: Promise<{ id: string }> };
const idSchema = z.uuid();

/** The audited verb: enabling and disabling read better in the log than a generic update. */
function actionOf(input: UpdateUserInput): string {
  if (input.disabled === true) return 'user.disable';
  if (input.disabled === false) return 'user.enable';
  if (input.password && Object.keys(input).length === 1) return 'user.set_password';
  return 'user.update';
}

export const PATCH = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const id = idSchema.parse((await params).id);
  const input = await readJson(request, updateUserSchema);
  refuseSelfLockout(admin.id, id, input);
  const { db, publish } = webContext();
  const user = await updateUser(db.pool, id, input);
  // Live screens of this user drop at once, not at the next periodic sweep.
  if (changesAccess(input)) {
    publish({ type: CHANNEL_EVENTS.credentialsChanged, payload: { principalId: id } });
  }
  await auditRequest(db.pool, request, admin, {
    action: actionOf(input),
    target: `user:${id}`,
    // What changed, never the password itself.
    details: { email: user.email, ...input, password: input.password ? 'changed' : undefined },
  });
  return json({ user });
});

export const DELETE = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const id = idSchema.parse((await params).id);
  refuseSelfLockout(admin.id, id, { delete: true });
  const { db, publish } = webContext();
  const user = await deleteUser(db.pool, id);
  publish({ type: CHANNEL_EVENTS.credentialsChanged, payload: { principalId: id } });
  await auditRequest(db.pool, request, admin, {
    action: 'user.delete',
    target: `user:${id}`,
    details: { email: user.email, name: user.name },
  });
  return json({ user });
});
