/**
 * GET /api/commands[?targetId=guard-3]: the newest device commands of the
 * caller's sites (of one guard or device), and whether each worker can hand
 * commands to the broker right now (`delivery`, the breakers' states).
 * POST: send one (locate, message, sos_ack) to a guard's device or a device.
 * Supervisors and admins; sending is audited.
 */
import { z } from 'zod';
import { createCommandSchema } from '@/contract/command-request';
import { idSchema } from '@/contract/ids';
import { requireUser } from '@/server/auth/request-auth';
import { listCommandDelivery } from '@/server/commands/breaker-registry';
import { COMMAND_BREAKER_NAME } from '@/server/commands/command-publisher';
import { listCommands } from '@/server/commands/command-store';
import { sendCommand } from '@/server/commands/send-command';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { CHANNEL_EVENTS } from '@/server/realtime/channel-events';

const ROLES = ['admin', 'supervisor'] as const;
const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  targetId: idSchema.optional(),
});

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request, { roles: [...ROLES] });
  const { limit, targetId } = querySchema.parse(
    Object.fromEntries(new URL(request.url).searchParams),
  );
  const siteIds = user.siteIds === 'all' ? null : user.siteIds;
  const { db, admin } = webContext();
  const [commands, delivery] = await Promise.all([
    listCommands(db.pool, { siteIds, targetId, limit }),
    listCommandDelivery(admin.redis, admin.prefix, COMMAND_BREAKER_NAME),
  ]);
  return json({ commands, delivery });
});

export const POST = apiHandler(async (request: Request) => {
  const user = await requireUser(request, { roles: [...ROLES], mutation: true });
  const input = await readJson(request, createCommandSchema);
  const { db, admin, publish } = webContext();
  const command = await sendCommand({ pool: db.pool, queues: admin.queues }, user, input);
  publish({ type: CHANNEL_EVENTS.command, payload: command });
  return json({ command }, 202);
});
