/** PATCH /api/admin/users/:id: change name, role, sites or password; DELETE: remove. Admins only, audited. */
import { z } from 'zod';
import { recordAudit } from '@/server/audit/audit-log';
import { requireUser } from '@/server/auth/request-auth';
import { AppError } from '@/server/errors';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { deleteUser, updateUser, updateUserSchema } from '@/server/users/users';

type Params = { params: Promise<{ id: string }> };
const idSchema = z.uuid();

export const PATCH = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const id = idSchema.parse((await params).id);
  const input = await readJson(request, updateUserSchema);
  if (id === admin.id && input.role && input.role !== 'admin') {
    throw new AppError('SELF_DEMOTION', 'an admin cannot remove their own admin role', 409);
  }
  const { db } = webContext();
  const user = await updateUser(db.pool, id, input);
  await recordAudit(db.pool, {
    actorId: admin.id,
    action: 'user.update',
    target: `user:${id}`,
    // What changed, never the password itself.
    details: { email: user.email, ...input, password: input.password ? 'changed' : undefined },
  });
  return json({ user });
});

export const DELETE = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const id = idSchema.parse((await params).id);
  if (id === admin.id)
    throw new AppError('SELF_DELETION', 'an admin cannot delete themselves', 409);
  const { db } = webContext();
  const user = await deleteUser(db.pool, id);
  await recordAudit(db.pool, {
    actorId: admin.id,
    action: 'user.delete',
    target: `user:${id}`,
    details: { email: user.email },
  });
  return json({ user });
});
