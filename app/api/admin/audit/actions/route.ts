/** GET /api/admin/audit/actions: every action recorded so far (the audit page's filter). Admins only. */
import { listAuditActions } from '@/server/audit/audit-log';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ actions: await webContext().db.read(listAuditActions) });
});
