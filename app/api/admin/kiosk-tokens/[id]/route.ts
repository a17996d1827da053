/** DELETE /api/admin/kiosk-tokens/:id: revokes a wall token; walls showing it are dropped at once. */
import { z } from 'zod';
import { requestActor } from '@/server/audit/request-audit';
import { requireUser } from '@/server/auth/request-auth';
import { AppError } from '@/server/errors';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { revokeWallToken } from '@/server/users/account-actions';

export const DELETE = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const admin = await requireUser(request, { roles: ['admin'], mutation: true });
    const id = z.uuid().parse((await params).id);
    const { db, publish } = webContext();
    const revoked = await revokeWallToken(
      { pool: db.pool, publish },
      requestActor(request, admin),
      id,
    );
    if (!revoked) throw new AppError('KIOSK_NOT_FOUND', 'no active token with this id', 404);
    return json({ revoked: id });
  },
);
