'use client';
/** Every user with their access at a glance, and the actions on each. */
import { ROLE_LABELS } from '@/components/shell/signed-in-user';
import type { UserDto } from '@/server/users/users';
import { formatTime } from './format';
import type { SiteName } from './site-picker';

export type UserAction = 'edit' | 'password' | 'disable' | 'enable' | 'delete';

interface UserTableProps {
  users: UserDto[];
  sites: SiteName[];
  /** The signed-in admin: no disabling or deleting themselves (the server refuses too). */
  selfId: string | null;
  busy: boolean;
  onAction(user: UserDto, action: UserAction): void;
}

/** Site names for the ids; an id with no site left is shown as the id. */
function siteList(user: UserDto, sites: SiteName[]): string {
  if (user.role === 'admin') return 'All sites';
  if (user.siteIds.length === 0) return 'None';
  return user.siteIds.map((id) => sites.find((s) => s.id === id)?.name ?? id).join(', ');
}

/** The table. */
export function UserTable({ users, sites, selfId, busy, onAction }: UserTableProps) {
  return (
    <div className="wf-admin-table-wrap">
      <table className="wf-admin-table" data-testid="user-table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Sites</th>
            <th scope="col">Created</th>
            <th scope="col">Last login</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const self = user.id === selfId;
            return (
              <tr key={user.id} data-user={user.email} data-disabled={!!user.disabledAt}>
                <th scope="row" className="wf-admin-user">
                  <span className="wf-admin-user__name" data-field="name">
                    {user.name}
                  </span>
                  {self && <span className="wf-admin-tag">you</span>}
                  <span className="wf-admin-muted wf-admin-user__email">{user.email}</span>
                </th>
                <td data-field="role">{ROLE_LABELS[user.role]}</td>
                <td className="wf-admin-clip" data-field="sites" title={siteList(user, sites)}>
                  {siteList(user, sites)}
                </td>
                <td className="wf-admin-nowrap">{formatTime(user.createdAt)}</td>
                <td className="wf-admin-nowrap">
                  {user.lastLoginAt ? formatTime(user.lastLoginAt) : 'Never'}
                </td>
                <td data-field="status">
                  {user.disabledAt ? (
                    <span className="wf-admin-tag wf-admin-tag--failed">Disabled</span>
                  ) : (
                    <span className="wf-admin-tag wf-admin-tag--acknowledged">Active</span>
                  )}
                </td>
                <td>
                  <div className="wf-admin-actions">
                    <button
                      type="button"
                      className="wf-button"
                      disabled={busy}
                      onClick={() => onAction(user, 'edit')}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="wf-button"
                      disabled={busy}
                      onClick={() => onAction(user, 'password')}
                    >
                      Reset password
                    </button>
                    {!self &&
                      (user.disabledAt ? (
                        <button
                          type="button"
                          className="wf-button"
                          disabled={busy}
                          onClick={() => onAction(user, 'enable')}
                        >
                          Enable
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="wf-button"
                          disabled={busy}
                          onClick={() => onAction(user, 'disable')}
                        >
                          Disable
                        </button>
                      ))}
                    {!self && (
                      <button
                        type="button"
                        className="wf-button wf-admin-button--danger"
                        disabled={busy}
                        onClick={() => onAction(user, 'delete')}
                      >
                        Delete
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
