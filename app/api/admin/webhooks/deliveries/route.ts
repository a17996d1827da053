/** GET /api/admin/webhooks/deliveries?webhookId=&limit=: the latest delivery attempts. Admins only. */
import { z } from 'zod';
import { requireUser } from '@/server/auth/request-auth';
import { listDeliveries } from '@/server/escalation/webhooks';
import { apiHandler, json, readQuery } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

const query = z.strictObject({
  webhookId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  const { webhookId, limit } = readQuery(request, query);
  // Browsing: the read replica when there is one.
  const deliveries = await webContext().db.read((pool) =>
    listDeliveries(pool, webhookId ?? null, limit),
  );
  return json({ deliveries });
});
