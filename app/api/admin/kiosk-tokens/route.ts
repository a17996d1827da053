/**
 * GET /api/admin/kiosk-tokens: every wall token; POST { name, siteIds | 'all', expiresAt? }:
 * create one (token shown once; expiresAt optional, epoch ms as every time of the
 * contract; ISO 8601 is still read: scripts from before, contract/time.ts).
 */
import { z } from 'zod';
import { epochMsSchema } from '@/contract/time';
import { requestActor } from '@/server/audit/request-audit';
import { listKioskTokens } from '@/server/auth/kiosk-tokens';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { createWallToken } from '@/server/users/account-actions';

const createSchema = z
  .object({
    name: z.string().trim().min(1, 'name the wall').max(80),
    siteIds: z.union([
      z.literal('all'),
      z.array(z.string().min(1).max(100)).min(1, 'choose at least one site').max(1000),
    ]),
    expiresAt: epochMsSchema.nullish(),
  })
  .strict();

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ tokens: await listKioskTokens(webContext().db.pool) });
});

export const POST = apiHandler(async (request: Request) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const input = await readJson(request, createSchema);
  const { db, publish } = webContext();
  const { token, info } = await createWallToken(
    { pool: db.pool, publish },
    requestActor(request, admin),
    input,
  );
  return json({ token, kiosk: info, wallPath: `/wall?token=${token}` }, 201);
});
