/** GET /api/admin/audit?limit=100&before=<id>&action=auth.login_failed: the audit log, newest first. Admins only. */
import { z } from 'zod';
import { listAudit } from '@/server/audit/audit-log';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
  action: z
    .string()
    .regex(/^[a-z_.]{1,64}$/)
    .optional(),
  actor: z.uuid().optional(),
});

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const entries = await listAudit(webContext().db.pool, { ...query, actorId: query.actor });
  return json({ entries });
});
