/** GET /api/admin/kiosk-tokens: every wall token; POST { name, siteIds | 'all' }: create one (token shown once). */
import { z } from 'zod';
import { auditRequest } from '@/server/audit/request-audit';
import { createKioskToken, listKioskTokens } from '@/server/auth/kiosk-tokens';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

const createSchema = z
  .object({
    name: z.string().trim().min(1, 'name the wall').max(80),
    siteIds: z.union([
      z.literal('all'),
      z.array(z.string().min(1).max(100)).min(1, 'choose at least one site').max(1000),
    ]),
  })
  .strict();

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ tokens: await listKioskTokens(webContext().db.pool) });
});

export const POST = apiHandler(async (request: Request) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const input = await readJson(request, createSchema);
  const { db } = webContext();
  const { token, info } = await createKioskToken(db.pool, { ...input, createdById: admin.id });
  await auditRequest(db.pool, request, admin, {
    action: 'kiosk.create',
    target: `kiosk:${info.id}`,
    details: { name: info.name, siteIds: info.siteIds },
  });
  return json({ token, kiosk: info, wallPath: `/wall?token=${token}` }, 201);
});
