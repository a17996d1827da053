'use client';
/** Check boxes for choosing sites (users' scope, wall tokens); names shown as text. */

export interface SiteName {
  id: string;
  name: string;
}

/** Site names for the ids ('all': "All sites"); an id with no site left is shown as the id. */
export function siteNames(ids: string[] | 'all', sites: SiteName[]): string {
  if (ids === 'all') return 'All sites';
  if (ids.length === 0) return 'None';
  return ids.map((id) => sites.find((s) => s.id === id)?.name ?? id).join(', ');
}

interface SitePickerProps {
  legend: string;
  sites: SiteName[];
  value: string[];
  onChange(value: string[]): void;
  disabled?: boolean;
}

/** One box per site, in the order given. */
export function SitePicker({ legend, sites, value, onChange, disabled }: SitePickerProps) {
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...value, id] : value.filter((v) => v !== id));
  return (
    <fieldset className="wf-admin-sites" disabled={disabled}>
      <legend className="wf-admin-sites__legend">{legend}</legend>
      {sites.length === 0 && <span className="wf-admin-muted">No sites yet.</span>}
      {sites.map((site) => (
        <label key={site.id} className="wf-admin-check">
          <input
            type="checkbox"
            checked={value.includes(site.id)}
            onChange={(e) => toggle(site.id, e.target.checked)}
          />
          {site.name}
        </label>
      ))}
    </fieldset>
  );
}
