'use client';
/** A user's role and sites as form fields (new user form, edit dialog). */
import { ROLE_LABELS } from '@/components/shell/signed-in-user';
import { USER_ROLES, type Role } from '@/server/auth/session-user';
import { SitePicker, type SiteName } from './site-picker';

/** One option per role. */
export function RoleSelect({ value, onChange }: { value: Role; onChange(role: Role): void }) {
  return (
    <label className="wf-field">
      Role
      <select
        className="wf-select"
        value={value}
        onChange={(e) => onChange(e.target.value as Role)}
      >
        {USER_ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
    </label>
  );
}

interface UserSitesProps {
  role: Role;
  sites: SiteName[];
  value: string[];
  onChange(siteIds: string[]): void;
}

/** The sites a supervisor or viewer may see; off for admins, who see every site. */
export function UserSitesPicker({ role, sites, value, onChange }: UserSitesProps) {
  return (
    <SitePicker
      legend={role === 'admin' ? 'Sites (admins see every site)' : 'Sites'}
      sites={sites}
      value={value}
      onChange={onChange}
      disabled={role === 'admin'}
    />
  );
}
