/**
 * GET /api/admin/webhooks: every webhook (never its secret); POST: create one,
 * answering with its signing secret this once. Admins only, audited.
 */
import { auditRequest } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { webhookTargetPolicy } from '@/server/escalation/escalation-settings';
import { createWebhook, createWebhookSchema, listWebhooks } from '@/server/escalation/webhooks';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { withTransaction } from '@/server/db/transaction';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ webhooks: await listWebhooks(webContext().db.pool) });
});

export const POST = apiHandler(async (request: Request) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const input = await readJson(request, createWebhookSchema);
  const { db, config } = webContext();
  // The change and its audit entry commit together: no change without its trail.
  const { webhook, secret } = await withTransaction(db.pool, async (client) => {
    const created = await createWebhook(client, input, webhookTargetPolicy(config));
    await auditRequest(client, request, admin, {
      action: 'webhook.create',
      target: `webhook:${created.webhook.id}`,
      details: { name: created.webhook.name, url: created.webhook.url },
    });
    return created;
  });
  return json({ webhook, secret }, 201);
});
