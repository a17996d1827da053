'use client';
/**
 * The field components (gateways, edge boxes reporting on system/<id>/health)
 * of the viewer's sites, next to the server's own components on the charts
 * tab: each one's condition (down, degraded, silent past twice its usual
 * interval, ok), its detail and metrics, and its recent reports as a strip.
 */
import { formatAge } from '@/components/guards/guard-status';
import type { LiveStore } from '@/components/realtime/live-store';
import { useRoster } from '@/components/realtime/use-live-store';
import { useNow } from '@/components/time/use-now';
import type { FieldComponentDto } from '@/contract/health';
import { componentCondition, CONDITION_LABELS } from './component-condition';
import type { ComponentStore } from './component-store';
import { useFieldComponents } from './use-field-components';

const MAX_METRICS_SHOWN = 4;

export function FieldComponents({
  components,
  store,
}: {
  components: ComponentStore;
  store: LiveStore;
}) {
  const list = useFieldComponents(components);
  const { siteNames, clockOffsetMs } = useRoster(store);
  const now = useNow();
  return (
    <section className="wf-field-components" aria-labelledby="wf-field-components-title">
      <h3 id="wf-field-components-title" className="wf-chart__title">
        Field components <span className="wf-chart__unit">as they report their own health</span>
      </h3>
      {list.length === 0 ? (
        <p className="wf-chart__empty">No gateway or edge box has reported on these sites.</p>
      ) : (
        <ul className="wf-processes__list">
          {list.map((component) => (
            <FieldComponentRow
              key={component.component}
              component={component}
              siteName={
                component.siteId ? (siteNames.get(component.siteId) ?? component.siteId) : 'No site'
              }
              serverNow={now === 0 ? null : now + clockOffsetMs}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function FieldComponentRow({
  component,
  siteName,
  serverNow,
}: {
  component: FieldComponentDto;
  siteName: string;
  serverNow: number | null;
}) {
  const condition =
    serverNow === null ? component.status : componentCondition(component, serverNow);
  const age = serverNow === null ? null : serverNow - component.reportedAt;
  const metrics = Object.entries(component.metrics ?? {}).slice(0, MAX_METRICS_SHOWN);
  return (
    <li
      className={`wf-process wf-component wf-component--${condition}`}
      data-component={component.component}
      data-condition={condition}
    >
      <span className="wf-status-dot" aria-hidden="true" />
      <span className="wf-process__roles" title={component.component}>
        {component.component}
      </span>
      <strong className="wf-process__state">{CONDITION_LABELS[condition]}</strong>
      <span className="wf-component__where" title="site · last report · usual interval">
        {siteName}
        {age !== null &&
          ` · ${formatAge(age)} ago · every ${formatAge(component.expectedIntervalMs)}`}
      </span>
      {(component.detail || condition === 'silent') && (
        <span className="wf-component__detail">
          {condition === 'silent'
            ? `No report for over ${formatAge(2 * component.expectedIntervalMs)}.`
            : ''}
          {component.detail && ` ${component.detail}`}
        </span>
      )}
      {metrics.length > 0 && (
        <span className="wf-component__metrics">
          {metrics.map(([name, value]) => `${name} ${Math.round(value * 100) / 100}`).join(' · ')}
        </span>
      )}
      <ReportStrip component={component} />
    </li>
  );
}

/** The recent reports, oldest left, one tick each, coloured by status. */
function ReportStrip({ component }: { component: FieldComponentDto }) {
  const reports = [...component.history].reverse();
  return (
    <span
      className="wf-component__history"
      role="img"
      aria-label={`last ${reports.length} reports: ${reports.map((r) => r.status).join(', ')}`}
    >
      {reports.map((report) => (
        <span
          key={report.reportedAt}
          className={`wf-component__tick wf-component__tick--${report.status}`}
          title={`${new Date(report.reportedAt).toLocaleTimeString()} ${report.status}${report.detail ? `: ${report.detail}` : ''}`}
        />
      ))}
    </span>
  );
}
