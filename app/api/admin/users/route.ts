/** GET /api/admin/users: every user; POST: create one. Admins only; every change is audited. */
import { recordAudit } from '@/server/audit/audit-log';
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
  await recordAudit(db.pool, {
    actorId: admin.id,
    action: 'user.create',
    target: `user:${user.id}`,
    details: { email: user.email, role: user.role, siteIds: user.siteIds },
  });
  return json({ user }, 201);
});
