/** What a screen draws itself from: the snapshot, its viewer and display settings. */
import type { EpochMs } from './time';
import type { AlertDto } from './alerts';
import type { GuardDto, SiteDto } from './guards';
import type { Role } from './users';

/** Who is looking at a screen, so it shows only what they may do (the server checks again). */
export interface ViewerDto {
  name: string;
  role: Role;
  /** May acknowledge and resolve alerts (not viewers, not wall kiosks). */
  canAct: boolean;
}

/** Display settings from the server's config: screens never read the environment. */
export interface ScreenSettingsDto {
  /** XYZ tile template, or null for none (screens then draw a neutral grid). */
  tileUrl: string | null;
  tileAttribution: string | null;
  /** No fix for this long: stale. */
  staleAfterMs: number;
  /** Nothing at all for this long: offline. */
  offlineAfterMs: number;
}

/** Everything a screen needs to draw itself from nothing. */
export interface SnapshotDto {
  sites: SiteDto[];
  guards: GuardDto[];
  /** Alerts not yet resolved, newest first. */
  openAlerts: AlertDto[];
  settings: ScreenSettingsDto;
  /** Set per connection by the socket layer; absent until then. */
  viewer?: ViewerDto;
  /** Epoch ms: screens take their clock offset from it. */
  serverTime: EpochMs;
}
