'use client';
/** Every user with their access at a glance, and the actions on each. */
import { ROLE_LABELS } from '@/components/shell/signed-in-user';
import type { UserDto } from '@/contract/users';
import { formatTime } from './format';
import { siteNames, type SiteName } from './site-picker';

export type UserAction = 'edit' | 'password' | 'disable' | 'enable' | 'delete';

interface UserTableProps {
  users: UserDto[];
  sites: SiteName[];
  /** The signed-in admin: no disabling or deleting themselves (the server refuses too). */
  selfId: string | null;
  busy: boolean;
  onAction(user: UserDto, action: UserAction): void;
}

/** Admins see every site whatever is assigned. */
const siteList = (user: UserDto, sites: SiteName[]) =>
  siteNames(user.role === 'admin' ? 'all' : user.siteIds, sites);

const ACTION_LABELS: Record<UserAction, string> = {
  edit: 'Edit',
  password: 'Reset password',
  disable: 'Disable',
  enable: 'Enable',
  delete: 'Delete',
};

/** What may be done to the user; never disabling or deleting oneself. */
function actionsFor(user: UserDto, self: boolean): UserAction[] {
  if (self) return ['edit', 'password'];
  return ['edit', 'password', user.disabledAt ? 'enable' : 'disable', 'delete'];
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
                  {user.notificationEmail && (
                    <span
                      className="wf-admin-muted wf-admin-user__email"
                      data-field="notification-email"
                      title="Escalation e-mails go here"
                    >
                      Notified at {user.notificationEmail}
                    </span>
                  )}
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
                  <div className="wf-admin-actions wf-admin-actions--row">
                    {actionsFor(user, self).map((action) => (
                      <button
                        key={action}
                        type="button"
                        className={`wf-button ${action === 'delete' ? 'wf-admin-button--danger' : ''}`}
                        disabled={busy}
                        onClick={() => onAction(user, action)}
                      >
                        {ACTION_LABELS[action]}
                      </button>
                    ))}
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
