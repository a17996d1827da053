/** POST /api/admin/queues/:queue: pause, resume, retry every failed job, or clean old jobs. Admins only, audited. */
import { queueActionSchema, runQueueAction } from '@/server/admin/queue-actions';
import { recordAudit } from '@/server/audit/audit-log';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

type Params = { params: Promise<{ queue: string }> };

export const POST = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const action = await readJson(request, queueActionSchema);
  const { queue } = await params;
  const { db, admin: services } = webContext();
  const details = await runQueueAction(services.queues.queue, queue, action);
  await recordAudit(db.pool, {
    actorId: admin.id,
    action: `queue.${action.action}`,
    target: `queue:${queue}`,
    details,
  });
  services.feed.nudge();
  return json({ ok: true, ...details });
});
