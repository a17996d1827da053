/** The route table exactly as server/queues/routes.ts defines it, with each task's last hour. */
import type { RouteStatsDto } from '@/contract/admin';
import { formatCount, formatMs } from './format';

/** One row per task, in the route table's order. */
export function RouteTable({ routes }: { routes: RouteStatsDto[] }) {
  return (
    <div className="wf-admin-table-wrap">
      <table className="wf-admin-table" data-testid="route-table">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Queue</th>
            <th scope="col" className="wf-num">
              Priority
            </th>
            <th scope="col" className="wf-num">
              BullMQ
            </th>
            <th scope="col">Handler</th>
            <th scope="col" className="wf-num">
              Processed 1 h
            </th>
            <th scope="col" className="wf-num">
              Failed 1 h
            </th>
            <th scope="col" className="wf-num">
              p95
            </th>
          </tr>
        </thead>
        <tbody>
          {routes.map((r) => (
            <tr key={r.task} data-task={r.task}>
              <td>
                <code className="wf-admin-code" data-field="task">
                  {r.task}
                </code>
                <div className="wf-admin-muted">{r.description}</div>
              </td>
              <td data-field="queue">{r.queue}</td>
              <td className="wf-num" data-field="priority">
                {r.priority}
              </td>
              <td className="wf-num" data-field="bullPriority">
                {r.bullPriority}
              </td>
              <td>
                <code className="wf-admin-code wf-admin-muted wf-admin-nowrap" data-field="handler">
                  {r.handler}
                </code>
              </td>
              <td className="wf-num">{formatCount(r.processedLastHour)}</td>
              <td className={`wf-num${r.failedLastHour > 0 ? ' wf-admin-bad' : ''}`}>
                {formatCount(r.failedLastHour)}
              </td>
              <td className="wf-num">{formatMs(r.p95Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
