/**
 * GET /api/admin/queues/:queue/jobs?state=failed&page=0&pageSize=25: one page
 * of a queue's jobs in a state, paged in Redis. Admins only.
 */
import { z } from 'zod';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { JOB_STATES } from '@/contract/admin';

type Params = { params: Promise<{ queue: string }> };

const querySchema = z.object({
  state: z.enum(JOB_STATES).default('failed'),
  page: z.coerce.number().int().min(0).max(1_000_000).default(0),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});

export const GET = apiHandler(async (request: Request, { params }: Params) => {
  await requireUser(request, { roles: ['admin'] });
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { queue } = await params;
  const page = await webContext().admin.inspector.jobs(
    queue,
    query.state,
    query.page,
    query.pageSize,
  );
  return json(page);
});
