/**
 * GET /api/alerts?status=resolved&severity=critical,high&site=site-a&from=<ms>&to=<ms>&limit=50&cursor=...
 * The feed's search and history, newest raised first, a page at a time
 * (`nextCursor` continues it); only alerts of the caller's sites. Any role may read.
 * `from` and `to` are epoch ms, as every time of the contract; ISO 8601 is still
 * read (links and scripts from before, contract/time.ts).
 */
import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES } from '@/contract/alerts';
import { ID_PATTERN } from '@/contract/ids';
import { epochMsParamSchema } from '@/contract/time';
import { searchAlerts } from '@/server/alerts/alert-search';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readQuery } from '@/server/http/api-handler';
import { idList } from '@/server/http/query-list';
import { webContext } from '@/server/http/web-context';

const querySchema = z
  .object({
    severity: idList(z.enum(ALERT_SEVERITIES)),
    status: idList(z.enum(ALERT_STATUSES)),
    site: idList(z.string().regex(ID_PATTERN, 'must be a site id')),
    from: epochMsParamSchema.optional(),
    to: epochMsParamSchema.optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    message: 'from must be before to',
    path: ['from'],
  });

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request);
  const query = readQuery(request, querySchema);
  // History and search: the read replica when there is one (acknowledging answers from the primary).
  const page = await webContext().db.read((pool) =>
    searchAlerts(pool, {
      severities: query.severity,
      statuses: query.status,
      siteIds: query.site,
      visibleSiteIds: user.siteIds,
      from: query.from,
      to: query.to,
      cursor: query.cursor,
      limit: query.limit,
    }),
  );
  return json(page);
});
