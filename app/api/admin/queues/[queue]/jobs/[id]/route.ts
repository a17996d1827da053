/**
 * GET /api/admin/queues/:queue/jobs/:id: one job with payload, attempts,
 * error and stack. POST: retry, promote or remove it. Admins only; actions audited.
 */
import { jobActionSchema, runJobAction } from '@/server/admin/queue-actions';
import { recordAudit } from '@/server/audit/audit-log';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

type Params = { params: Promise<{ queue: string; id: string }> };

export const GET = apiHandler(async (request: Request, { params }: Params) => {
  await requireUser(request, { roles: ['admin'] });
  const { queue, id } = await params;
  return json({ job: await webContext().admin.inspector.job(queue, id) });
});

export const POST = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const action = await readJson(request, jobActionSchema);
  const { queue, id } = await params;
  const { db, admin: services } = webContext();
  const details = await runJobAction(services.queues.queue, queue, id, action);
  await recordAudit(db.pool, {
    actorId: admin.id,
    action: `job.${action.action}`,
    target: `job:${queue}/${id}`,
    details,
  });
  services.feed.nudge();
  return json({ ok: true, ...details });
});
