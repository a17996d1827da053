/**
 * GET /api/admin/queues: every queue's counts per state, throughput and
 * workers, the circuit breakers and the deployment's processes, as JSON for
 * the page, scripts and monitoring. Admins only.
 */
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  const { at, queues, breakers, processes } = await webContext().admin.feed.snapshot();
  return json({ at, queues, breakers, processes });
});
