/** DELETE /api/admin/kiosk-tokens/:id: revokes a wall token; walls showing it are dropped at once. */
import { z } from 'zod';
import { auditRequest } from '@/server/audit/request-audit';
import { revokeKioskToken } from '@/server/auth/kiosk-tokens';
import { requireUser } from '@/server/auth/request-auth';
import { AppError } from '@/server/errors';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { CHANNEL_EVENTS } from '@/server/realtime/events';

export const DELETE = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const admin = await requireUser(request, { roles: ['admin'], mutation: true });
    const id = z.uuid().parse((await params).id);
    const { db, publish } = webContext();
    const revoked = await revokeKioskToken(db.pool, id);
    if (!revoked) throw new AppError('KIOSK_NOT_FOUND', 'no active token with this id', 404);
    publish({ type: CHANNEL_EVENTS.credentialsChanged, payload: { principalId: id } });
    await auditRequest(db.pool, request, admin, {
      action: 'kiosk.revoke',
      target: `kiosk:${id}`,
      details: { name: revoked.name },
    });
    return json({ revoked: id });
  },
);
