/** POST /api/alerts/:id/resolve {reason}: closes the alert; a reason is required. */
import { z } from 'zod';
import { actOnAlert } from '@/server/alerts/alert-actions';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json, readJson } from '@/server/http/api-handler';
import { ALERT_ACTORS, alertActionDeps } from '../../alert-deps';

const bodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export const POST = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const user = await requireUser(request, ALERT_ACTORS);
    // Read after authentication, so strangers learn nothing from the validation.
    const { reason } = await readJson(request, bodySchema);
    const { id } = await params;
    const alert = await actOnAlert(alertActionDeps(), user, id, { kind: 'resolve', reason });
    return json({ alert });
  },
);
