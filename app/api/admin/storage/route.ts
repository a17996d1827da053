/** GET /api/admin/storage: size, rows, oldest/newest and retention per table and partition. Admins only. */
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json(await webContext().admin.storage.snapshot());
});
