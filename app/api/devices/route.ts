/**
 * GET /api/devices?site=a,b&state=offline,stale&low=true&q=text&sort=battery|silent|id&limit=5000
 * Every device of the caller's sites with its guard, battery (and a day ago), signal,
 * charging, firmware, last seen; filtered by the fleet rules the screens apply live.
 */
import { z } from 'zod';
import { ID_PATTERN } from '@/contract/ids';
import { requireUser } from '@/server/auth/request-auth';
import { listDevices } from '@/server/devices/device-list';
import { apiHandler, json, readQuery } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { DEVICE_STATES, type DeviceListDto } from '@/contract/devices';
import { DEVICE_SORTS } from '@/contract/fleet-rules';
import { screenSettings } from '@/server/realtime/screen-settings';
import { idList } from '@/server/http/query-list';

const querySchema = z.object({
  site: idList(z.string().regex(ID_PATTERN, 'must be a site id')),
  state: idList(z.enum(DEVICE_STATES)),
  low: z.enum(['true', 'false']).default('false'),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(DEVICE_SORTS).default('battery'),
  limit: z.coerce.number().int().min(1).max(20_000).default(10_000),
});

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request);
  const query = readQuery(request, querySchema);
  const { config, db } = webContext();
  const { staleAfterMs, offlineAfterMs } = screenSettings(config);
  const now = new Date();
  const { devices, total } = await listDevices(db.pool, {
    visibleSiteIds: user.siteIds,
    siteIds: query.site,
    states: query.state,
    lowBatteryOnly: query.low === 'true',
    text: query.q || undefined,
    sort: query.sort,
    limit: query.limit,
    thresholds: { staleAfterMs, offlineAfterMs },
    lowBatteryPercent: config.LOW_BATTERY_PERCENT,
    now,
  });
  return json({
    devices,
    total,
    lowBatteryPercent: config.LOW_BATTERY_PERCENT,
    staleAfterMs,
    offlineAfterMs,
    serverTime: now.getTime(),
  } satisfies DeviceListDto);
});
