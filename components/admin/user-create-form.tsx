'use client';
/** The "new user" form: the server checks everything again and its refusal is shown as is. */
import { useState, type FormEvent } from 'react';
import type { Role } from '@/contract/users';
import { sendJson } from './admin-api';
import type { SiteName } from './site-picker';
import { NotificationEmailField, RoleSelect, UserSitesPicker } from './user-access-fields';

/** The server's minimum (server/users/passwords.ts), repeated here only as a hint. */
const PASSWORD_HINT = 'At least 12 characters, not containing the email.';

interface UserCreateFormProps {
  sites: SiteName[];
  onCreated(email: string): void;
}

/** Email, name, role, sites, password, and optionally where escalation e-mails go. */
export function UserCreateForm({ sites, onCreated }: UserCreateFormProps) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('supervisor');
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const [notifyAt, setNotifyAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const notificationEmail = notifyAt.trim() || null;
    sendJson('/api/admin/users', { email, name, role, password, siteIds, notificationEmail })
      .then(() => {
        onCreated(email);
        setEmail('');
        setName('');
        setPassword('');
        setSiteIds([]);
        setNotifyAt('');
      })
      .catch((err: Error) => setError(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <form className="wf-admin-form wf-admin-form--grid" onSubmit={submit} aria-label="New user">
      <h2 className="wf-admin-form__title">New user</h2>
      <label className="wf-field">
        Email
        <input
          className="wf-input"
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label className="wf-field">
        Name
        <input
          className="wf-input"
          required
          maxLength={120}
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <RoleSelect value={role} onChange={setRole} />
      <div className="wf-field">
        <label htmlFor="wf-new-user-password">Password</label>
        <input
          id="wf-new-user-password"
          className="wf-input"
          type="password"
          required
          autoComplete="new-password"
          aria-describedby="wf-new-user-password-hint"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <span id="wf-new-user-password-hint" className="wf-admin-hint">
          {PASSWORD_HINT}
        </span>
      </div>
      <UserSitesPicker role={role} sites={sites} value={siteIds} onChange={setSiteIds} />
      <NotificationEmailField value={notifyAt} onChange={setNotifyAt} />
      <div className="wf-admin-form__end">
        <button type="submit" className="wf-button wf-button--primary" disabled={busy}>
          Create user
        </button>
      </div>
      {error && (
        <p
          className="wf-admin-error wf-admin-form__error"
          role="alert"
          data-testid="user-form-error"
        >
          {error}
        </p>
      )}
    </form>
  );
}
