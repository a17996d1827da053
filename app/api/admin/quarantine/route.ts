/**
 * GET /api/admin/quarantine?offset=0&limit=50: refused MQTT messages, newest
 * first (reason, topic, size, time, escaped preview). Admins only.
 */
import { z } from 'zod';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { listQuarantine } from '@/server/mqtt/quarantine';

const querySchema = z.object({
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  const { offset, limit } = querySchema.parse(
    Object.fromEntries(new URL(request.url).searchParams),
  );
  const { admin } = webContext();
  const page = await listQuarantine(admin.redis, admin.prefix, offset, limit);
  return json({ offset, limit, ...page });
});
