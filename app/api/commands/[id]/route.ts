/** GET /api/commands/:id: one command and its state. Supervisors (of its site) and admins. */
import { z } from 'zod';
import { canSeeSite, requireUser } from '@/server/auth/request-auth';
import { CommandNotFoundError, getCommand } from '@/server/commands/command-store';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

type Params = { params: Promise<{ id: string }> };

export const GET = apiHandler(async (request: Request, { params }: Params) => {
  const user = await requireUser(request, { roles: ['admin', 'supervisor'] });
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) throw new CommandNotFoundError(id);
  const command = await getCommand(webContext().db.pool, id);
  if (!command || !canSeeSite(user, command.siteId)) throw new CommandNotFoundError(id);
  return json({ command });
});
