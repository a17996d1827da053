/** POST /api/alerts/:id/acknowledge: the supervisor has seen it and is on it. */
import { acknowledgeAlert } from '@/server/alerts/lifecycle';
import { apiHandler } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { runAlertAction } from '../../alert-action';

export const POST = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) =>
    runAlertAction(
      request,
      params,
      'alert.acknowledge',
      async () => ({}),
      (user, id) => acknowledgeAlert(webContext().db.pool, id, user.id),
    ),
);
