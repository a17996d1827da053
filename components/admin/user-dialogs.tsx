'use client';
/** Editing a user (name, role, sites, notification e-mail) and setting a new password, each in a modal form. */
import { useState } from 'react';
import type { Role, UserDto } from '@/contract/users';
import { sendJson } from './admin-api';
import { FormDialog } from './form-dialog';
import type { SiteName } from './site-picker';
import { NotificationEmailField, RoleSelect, UserSitesPicker } from './user-access-fields';

interface DialogProps {
  user: UserDto;
  onDone(): void;
  onCancel(): void;
}

/** Sends a PATCH for the user; the form stays open with the server's reason when refused. */
function usePatch(user: UserDto, onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const patch = (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    sendJson(`/api/admin/users/${user.id}`, body, 'PATCH')
      .then(onDone)
      .catch((err: Error) => setError(err.message))
      .finally(() => setBusy(false));
  };
  return { busy, error, patch };
}

/** Name, role, sites and notification e-mail of one user. A change of role or sites ends their sessions. */
export function EditUserDialog({
  user,
  sites,
  onDone,
  onCancel,
}: DialogProps & { sites: SiteName[] }) {
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [siteIds, setSiteIds] = useState(user.siteIds);
  const [notifyAt, setNotifyAt] = useState(user.notificationEmail ?? '');
  const { busy, error, patch } = usePatch(user, onDone);
  const submit = () => {
    const changes: Record<string, unknown> = {};
    if (name !== user.name) changes.name = name;
    if (role !== user.role) changes.role = role;
    if ([...siteIds].sort().join() !== [...user.siteIds].sort().join()) changes.siteIds = siteIds;
    // Empty clears it (escalation e-mails then go to the login email).
    if (notifyAt.trim() !== (user.notificationEmail ?? '')) {
      changes.notificationEmail = notifyAt.trim() || null;
    }
    if (Object.keys(changes).length === 0) return onCancel();
    patch(changes);
  };
  return (
    <FormDialog
      open
      title={`Edit ${user.email}`}
      submitLabel="Save"
      busy={busy}
      error={error}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <label className="wf-field">
        Name
        <input
          className="wf-input"
          required
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <RoleSelect value={role} onChange={setRole} />
      <UserSitesPicker role={role} sites={sites} value={siteIds} onChange={setSiteIds} />
      <NotificationEmailField value={notifyAt} onChange={setNotifyAt} login={user.email} />
      <p className="wf-admin-hint">A new role or new sites sign the user out everywhere.</p>
    </FormDialog>
  );
}

/** A new password for the user; their sessions end. */
export function PasswordDialog({ user, onDone, onCancel }: DialogProps) {
  const [password, setPassword] = useState('');
  const { busy, error, patch } = usePatch(user, onDone);
  return (
    <FormDialog
      open
      title={`New password for ${user.email}`}
      submitLabel="Set password"
      busy={busy}
      error={error}
      onSubmit={() => patch({ password })}
      onCancel={onCancel}
    >
      <label className="wf-field">
        New password
        <input
          className="wf-input"
          type="password"
          required
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <p className="wf-admin-hint">
        At least 12 characters. The user is signed out everywhere and logs in with the new one.
      </p>
    </FormDialog>
  );
}
