/** GET /api/admin/users: every user; POST: create one. Admins only; every change is audited. */
import { requestActor } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { createAccount } from '@/server/users/account-actions';
import { createUserSchema, listUsers } from '@/server/users/users';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ users: await listUsers(webContext().db.pool) });
});

export const POST = apiHandler(async (request: Request) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const input = await readJson(request, createUserSchema);
  const { db, publish } = webContext();
  const user = await createAccount({ pool: db.pool, publish }, requestActor(request, admin), input);
  return json({ user }, 201);
});
