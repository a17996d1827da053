/** GET /api/admin/users: every user; POST: create one. Admins only; every change is audited. */
import { auditRequest } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { createUser, createUserSchema, listUsers } from '@/server/users/users';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ users: await listUsers(webContext().db.pool) });
});

export const POST = apiHandler(async (request: Request) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const input = await readJson(request, createUserSchema);
  const { db } = webContext();
  const user = await createUser(db.pool, input);
  await auditRequest(db.pool, request, admin, {
    action: 'user.create',
    target: `user:${user.id}`,
    details: { email: user.email, name: user.name, role: user.role, siteIds: user.siteIds },
  });
  return json({ user }, 201);
});
