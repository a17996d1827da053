'use client';
/** A user's role, sites and notification e-mail as form fields (new user form, edit dialog). */
import { useId } from 'react';
import { ROLE_LABELS } from '@/components/shell/signed-in-user';
import { USER_ROLES, type Role } from '@/contract/users';
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

interface NotificationEmailProps {
  value: string;
  onChange(value: string): void;
  /** The login email, named in the hint as where e-mails go while this is empty. */
  login?: string;
}

/** Where escalation e-mails go; empty means the login email. The server validates it again. */
export function NotificationEmailField({ value, onChange, login }: NotificationEmailProps) {
  const id = useId();
  return (
    <div className="wf-field">
      {/* The hint stays outside the label, so the field's name is just its label. */}
      <label htmlFor={id}>Notification e-mail</label>
      <input
        id={id}
        className="wf-input"
        type="email"
        name="notificationEmail"
        maxLength={254}
        autoComplete="off"
        placeholder={login ?? 'the login email'}
        aria-describedby={`${id}-hint`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id={`${id}-hint`} className="wf-admin-hint">
        Unacknowledged alerts are e-mailed here; empty: {login ?? 'the login email'}.
      </span>
    </div>
  );
}
