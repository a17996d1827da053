/**
 * GET /api/components: the field components (system/<id>/health) of the
 * caller's sites with their recent history and usual report interval; any
 * role may read. Live changes follow as SERVER_EVENTS.componentHealth socket events.
 */
import { requireUser } from '@/server/auth/request-auth';
import { listFieldComponents } from '@/server/health/field-components';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request);
  return json({ components: await listFieldComponents(webContext().db.pool, user.siteIds) });
});
