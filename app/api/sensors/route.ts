/**
 * GET /api/sensors?site=a,b&kind=temperature,smoke&alarm=true
 * Every sensor of the caller's sites: latest reading and unit, threshold and whether
 * it is crossed, the latest alert it raised, location, and its last hour as a sparkline.
 */
import { z } from 'zod';
import { ID_PATTERN } from '@/contract/ids';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readQuery } from '@/server/http/api-handler';
import { idList } from '@/server/http/query-list';
import { webContext } from '@/server/http/web-context';
import { listSensors } from '@/server/sensors/sensor-list';

const querySchema = z.object({
  site: idList(z.string().regex(ID_PATTERN, 'must be a site id')),
  kind: idList(z.string().regex(/^[a-z0-9_]{1,32}$/, 'must be a sensor kind')),
  alarm: z.enum(['true', 'false']).default('false'),
});

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request);
  const query = readQuery(request, querySchema);
  const now = new Date();
  const sensors = await listSensors(webContext().db.pool, {
    visibleSiteIds: user.siteIds,
    siteIds: query.site,
    kinds: query.kind,
    alarmOnly: query.alarm === 'true',
    now,
  });
  return json({ sensors, serverTime: now.getTime() });
});
