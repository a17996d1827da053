/** POST /api/alerts/:id/acknowledge: the supervisor has seen it and is on it. */
import { acknowledgeAlert } from '@/server/alerts/lifecycle';
import { apiHandler } from '@/server/http/api-handler';
import { runAlertAction } from '../../alert-action';

export const POST = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) =>
    runAlertAction(
      request,
      params,
      'alert.acknowledge',
      async () => ({}),
      (client, user, id) => acknowledgeAlert(client, id, user.id),
    ),
);
