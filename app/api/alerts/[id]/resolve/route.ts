/** POST /api/alerts/:id/resolve {reason}: closes the alert; a reason is required. */
import { z } from 'zod';
import { resolveAlert } from '@/server/alerts/lifecycle';
import { apiHandler, readJson } from '@/server/http/api-handler';
import { runAlertAction } from '../../alert-action';

const bodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export const POST = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) =>
    runAlertAction(
      request,
      params,
      'alert.resolve',
      () => readJson(request, bodySchema),
      (client, user, id, { reason }) => resolveAlert(client, id, user.id, reason),
    ),
);
