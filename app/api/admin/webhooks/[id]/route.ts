/** PATCH /api/admin/webhooks/:id: rename, re-target, enable/disable; DELETE: remove. Admins only, audited. */
import { z } from 'zod';
import { auditRequest } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { webhookTargetPolicy } from '@/server/escalation/escalation-settings';
import { deleteWebhook, updateWebhook, updateWebhookSchema } from '@/server/escalation/webhooks';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { withTransaction } from '@/server/db/transaction';

type Params = { params: Promise<{ id: string }> };

export const PATCH = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const id = z.uuid().parse((await params).id);
  const input = await readJson(request, updateWebhookSchema);
  const { db, config } = webContext();
  const webhook = await withTransaction(db.pool, async (client) => {
    const updated = await updateWebhook(client, id, input, webhookTargetPolicy(config));
    await auditRequest(client, request, admin, {
      action: 'webhook.update',
      target: `webhook:${id}`,
      details: { ...input },
    });
    return updated;
  });
  return json({ webhook });
});

export const DELETE = apiHandler(async (request: Request, { params }: Params) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const id = z.uuid().parse((await params).id);
  const { db } = webContext();
  const webhook = await withTransaction(db.pool, async (client) => {
    const deleted = await deleteWebhook(client, id);
    await auditRequest(client, request, admin, {
      action: 'webhook.delete',
      target: `webhook:${id}`,
      details: { name: deleted.name, url: deleted.url },
    });
    return deleted;
  });
  return json({ webhook });
});
