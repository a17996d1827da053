/** POST /api/alerts/:id/acknowledge: the supervisor has seen it and is on it. */
import { actOnAlert } from '@/server/alerts/alert-actions';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { ALERT_ACTORS, alertActionDeps } from '../../alert-deps';

export const POST = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const user = await requireUser(request, ALERT_ACTORS);
    const { id } = await params;
    const alert = await actOnAlert(alertActionDeps(), user, id, { kind: 'acknowledge' });
    return json({ alert });
  },
);
