/** GET /api/admin/kiosk-tokens: every wall token; POST { name, siteIds | 'all' }: create one (token shown once). */
import { z } from 'zod';
import { recordAudit } from '@/server/audit/audit-log';
import { createKioskToken, listKioskTokens } from '@/server/auth/kiosk-tokens';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

const createSchema = z.object({
  name: z.string().trim().min(1).max(80),
  siteIds: z.union([z.literal('all'), z.array(z.string().min(1).max(100)).min(1).max(1000)]),
});

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  return json({ tokens: await listKioskTokens(webContext().db.pool) });
});

export const POST = apiHandler(async (request: Request) => {
  const admin = await requireUser(request, { roles: ['admin'], mutation: true });
  const input = await readJson(request, createSchema);
  const { db } = webContext();
  const { token, info } = await createKioskToken(db.pool, { ...input, createdById: admin.id });
  await recordAudit(db.pool, {
    actorId: admin.id,
    action: 'kiosk.create',
    target: `kiosk:${info.id}`,
    details: { name: info.name, siteIds: info.siteIds },
  });
  return json({ token, kiosk: info, wallPath: `/wall?token=${token}` }, 201);
});
