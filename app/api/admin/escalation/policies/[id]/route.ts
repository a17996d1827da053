/** DELETE /api/admin/escalation/policies/:id: the site falls back to the default. Admins only, audited. */
import { z } from 'zod';
import { auditRequest } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { deletePolicy } from '@/server/escalation/policies';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { withTransaction } from '@/server/db/transaction';

export const DELETE = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const admin = await requireUser(request, { roles: ['admin'], mutation: true });
    const id = z.uuid().parse((await params).id);
    const { db } = webContext();
    const policy = await withTransaction(db.pool, async (client) => {
      const deleted = await deletePolicy(client, id);
      await auditRequest(client, request, admin, {
        action: 'escalation.policy_delete',
        target: `escalation_policy:${id}`,
        details: { siteId: deleted.siteId, severity: deleted.severity },
      });
      return deleted;
    });
    return json({ policy });
  },
);
