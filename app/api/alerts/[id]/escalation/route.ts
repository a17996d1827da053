/** GET /api/alerts/:id/escalation: who was told about the alert, when, and how it ended. */
import { findVisibleAlert } from '@/server/alerts/alert-actions';
import { requireUser } from '@/server/auth/request-auth';
import { escalationTimeline } from '@/server/escalation/timeline';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

export const GET = apiHandler(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const user = await requireUser(request);
    const { id } = await params;
    const { db } = webContext();
    const alert = await findVisibleAlert(db.pool, user, id);
    return json({ alert, timeline: await escalationTimeline(db.pool, id) });
  },
);
