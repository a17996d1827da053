/** GET /api/admin/sites: every site's id and name, for the user and wall-token forms. Admins only. */
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { listSiteNames } from '@/server/sites/queries';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ sites: await listSiteNames(webContext().db.pool) });
});
