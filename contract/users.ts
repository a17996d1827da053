/** Users and their roles, as the server and screens see them. */
import type { EpochMs } from './time';

/** A user's role: admins manage, supervisors act on alerts, viewers only look. */
export const USER_ROLES = ['admin', 'supervisor', 'viewer'] as const;
export type Role = (typeof USER_ROLES)[number];

/** Who is signed in: a person, or a read-only wall token. */
export const PRINCIPAL_KINDS = ['user', 'kiosk'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Sites this principal may see and act on; 'all' for admins (and all-site kiosks). */
  siteIds: string[] | 'all';
  /** 'kiosk': a read-only wall token (role viewer, never allowed a mutation). */
  kind: PrincipalKind;
}

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Assigned sites (admins see every site whatever is assigned). */
  siteIds: string[];
  /** Epoch ms, as every time here. */
  createdAt: EpochMs;
  /** null: never logged in (or not since this was recorded). */
  lastLoginAt: EpochMs | null;
  /** Set while the account is disabled (no login, no session); null when active. */
  disabledAt: EpochMs | null;
  /** Where escalation e-mails go; null: the login email. */
  notificationEmail: string | null;
}

export interface KioskTokenInfo {
  id: string;
  name: string;
  siteIds: string[] | 'all';
  createdAt: EpochMs;
  lastUsedAt: EpochMs | null;
  revokedAt: EpochMs | null;
  /** The token stops working then; null: until revoked. */
  expiresAt: EpochMs | null;
}
