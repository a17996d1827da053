/** GET /api/alerts?severity=critical,high&status=open&site=site-a&limit=200: the feed's search. */
import { z } from 'zod';
import { searchAlerts } from '@/server/alerts/alert-search';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .optional()
    .transform((raw) => (raw ? raw.split(',').filter(Boolean) : []))
    .pipe(z.array(z.enum(values)));

const querySchema = z.object({
  severity: list(['critical', 'high', 'medium', 'low']),
  status: list(['open', 'acknowledged', 'resolved']),
  site: z
    .string()
    .optional()
    .transform((raw) => (raw ? raw.split(',').filter(Boolean) : []))
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(100)),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request);
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const alerts = await searchAlerts(webContext().db.pool, {
    severities: query.severity,
    statuses: query.status,
    siteIds: query.site,
    visibleSiteIds: user.siteIds,
    limit: query.limit,
  });
  return json({ alerts });
});
