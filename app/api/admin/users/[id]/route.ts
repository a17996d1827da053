/**
 * PATCH /api/admin/users/:id: change name, role, sites or password, or disable/enable;
 * DELETE: remove. Admins only, audited. Nobody locks themselves (or everyone) out.
 */
import { z } from 'zod';
import { requestActor } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { changeAccount, removeAccount } from '@/server/users/account-actions';
import { refuseSelfLockout } from '@/server/users/admin-lockout';
import { updateUserSchema } from '@/server/users/users';

type Params = { params: Promise<{ id: string }> };
const idSchema = z.uuid();

export const PATCH = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const id = idSchema.parse((await params).id);
  const input = await readJson(request, updateUserSchema);
  refuseSelfLockout(admin.id, id, input);
  const { db, publish } = webContext();
  const user = await changeAccount(
    { pool: db.pool, publish },
    requestActor(request, admin),
    id,
    input,
  );
  return json({ user });
});

export const DELETE = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const id = idSchema.parse((await params).id);
  refuseSelfLockout(admin.id, id, { delete: true });
  const { db, publish } = webContext();
  const user = await removeAccount({ pool: db.pool, publish }, requestActor(request, admin), id);
  return json({ user });
});
