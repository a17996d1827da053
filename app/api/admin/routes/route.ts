/** GET /api/admin/routes: the route table (server/queues/routes.ts) with each task's last hour. Admins only. */
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ routes: await webContext().admin.inspector.routes() });
});
