'use client';
/**
 * `/admin/users`: every user, a form for new ones, and per user: edit (name,
 * role, sites), reset password, disable/enable, delete. Destructive actions
 * ask first; the server refuses what would lock an admin (or everyone) out,
 * and its reason is shown.
 */
import { useCallback, useState } from 'react';
import { useSignedInUser } from '@/components/shell/signed-in-user';
import type { UserDto } from '@/contract/users';
import { sendJson } from './admin-api';
import { AdminShell } from './admin-shell';
import { PendingConfirm } from './confirm-dialog';
import { ErrorNotice } from './error-notice';
import type { SiteName } from './site-picker';
import { useAdminActions } from './use-admin-action';
import { useJson } from './use-json';
import { UserCreateForm } from './user-create-form';
import { EditUserDialog, PasswordDialog } from './user-dialogs';
import { UserTable, type UserAction } from './user-table';

type Editing = { user: UserDto; form: 'edit' | 'password' } | null;

/** The users page. */
export function UsersView() {
  const users = useJson<{ users: UserDto[] }>('/api/admin/users');
  const sites = useJson<{ sites: SiteName[] }>('/api/admin/sites');
  const me = useSignedInUser();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = users.reload;
  const actions = useAdminActions(useCallback(() => reload(), [reload]));
  const siteNames = sites.data?.sites ?? [];

  const onAction = (user: UserDto, action: UserAction) => {
    setNotice(null);
    if (action === 'edit' || action === 'password') return setEditing({ user, form: action });
    if (action === 'enable') {
      return actions.run(async () => {
        await sendJson(`/api/admin/users/${user.id}`, { disabled: false }, 'PATCH');
      });
    }
    const remove = action === 'delete';
    actions.confirm({
      title: remove ? 'Delete this user?' : 'Disable this user?',
      body: (
        <>
          <strong className="wf-admin-dialog__subject">{user.name}</strong> ({user.email}){' '}
          {remove
            ? 'is removed for good. The audit log keeps what they did.'
            : 'is signed out everywhere at once and cannot log in until enabled again.'}
        </>
      ),
      confirmLabel: remove ? 'Delete user' : 'Disable user',
      run: async () => {
        if (remove) await sendJson(`/api/admin/users/${user.id}`, undefined, 'DELETE');
        else await sendJson(`/api/admin/users/${user.id}`, { disabled: true }, 'PATCH');
      },
    });
  };

  const closeEditor = (saved: string | null) => {
    setEditing(null);
    if (saved) {
      setNotice(saved);
      reload();
    }
  };

  return (
    <AdminShell>
      <main className="wf-admin-main wf-admin-page">
        <h1 className="wf-admin-page__title">Users</h1>
        <ErrorNotice
          error={actions.error ?? users.error ?? sites.error}
          onDismiss={actions.error ? actions.clearError : undefined}
        />
        {notice && (
          <p className="wf-admin-notice" role="status">
            {notice}
          </p>
        )}
        <UserCreateForm
          sites={siteNames}
          onCreated={(email) => {
            setNotice(`Created ${email}.`);
            reload();
          }}
        />
        {!users.data && !users.error && <p className="wf-admin-muted">Loading…</p>}
        {users.data && (
          <UserTable
            users={users.data.users}
            sites={siteNames}
            selfId={me?.id ?? null}
            busy={actions.busy}
            onAction={onAction}
          />
        )}
      </main>
      {editing?.form === 'edit' && (
        <EditUserDialog
          user={editing.user}
          sites={siteNames}
          onDone={() => closeEditor(`Saved ${editing.user.email}.`)}
          onCancel={() => closeEditor(null)}
        />
      )}
      {editing?.form === 'password' && (
        <PasswordDialog
          user={editing.user}
          onDone={() => closeEditor(`New password set for ${editing.user.email}.`)}
          onCancel={() => closeEditor(null)}
        />
      )}
      <PendingConfirm actions={actions} />
    </AdminShell>
  );
}
