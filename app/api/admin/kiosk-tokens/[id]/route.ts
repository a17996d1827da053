/** DELETE /api/admin/kiosk-tokens/:id: revokes a wall token (connected walls are dropped by the sweep). */
import { z } from 'zod';
import { recordAudit } from '@/server/audit/audit-log';
import { revokeKioskToken } from '@/server/auth/kiosk-tokens';
import { requireUser } from '@/server/auth/request-auth';
import { AppError } from '@/server/errors';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

export const DELETE = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const admin = await requireUser(request, { roles: ['admin'], mutation: true });
    const id = z.uuid().parse((await params).id);
    const { db } = webContext();
    if (!(await revokeKioskToken(db.pool, id)))
      throw new AppError('KIOSK_NOT_FOUND', 'no active token with this id', 404);
    await recordAudit(db.pool, {
      actorId: admin.id,
      action: 'kiosk.revoke',
      target: `kiosk:${id}`,
    });
    return json({ revoked: id });
  },
);
