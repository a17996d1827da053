/**
 * GET /api/admin/escalation: policies, webhooks, the latest deliveries and what
 * the editor picks from (sites, users); PUT: create or replace the policy of a
 * site (or the default) and severity. Admins only; changes are audited.
 */
import { auditRequest } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { listPolicies, savePolicy } from '@/server/escalation/policies';
import { policyInputSchema } from '@/contract/escalation';
import { listDeliveries, listWebhooks } from '@/server/escalation/webhooks';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { withTransaction } from '@/server/db/transaction';
import { listSites } from '@/server/sites/queries';
import { listUsers } from '@/server/users/users';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  const { pool } = webContext().db;
  const [policies, webhooks, deliveries, sites, users] = await Promise.all([
    listPolicies(pool),
    listWebhooks(pool),
    listDeliveries(pool, null, 50),
    listSites(pool),
    listUsers(pool),
  ]);
  return json({
    policies,
    webhooks,
    deliveries,
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
    users: users
      .filter((u) => !u.disabledAt)
      .map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role })),
  });
});

export const PUT = apiHandler(async (request: Request) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const input = await readJson(request, policyInputSchema);
  const { db } = webContext();
  // The change and its audit entry commit together: no change without its trail.
  const policy = await withTransaction(db.pool, async (client) => {
    const saved = await savePolicy(client, input, admin.id);
    await auditRequest(client, request, admin, {
      action: 'escalation.policy_save',
      target: `escalation_policy:${saved.id}`,
      details: {
        siteId: saved.siteId,
        severity: saved.severity,
        enabled: saved.enabled,
        steps: saved.steps,
      },
    });
    return saved;
  });
  return json({ policy });
});
