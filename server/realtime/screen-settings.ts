/** The part of the config that screens need, sent in every snapshot. */
import type { Config } from '../config';
import type { ScreenSettingsDto } from '../../contract/screen';

/** Display settings for browsers (never the whole config: it holds secrets). */
export function screenSettings(config: Config): ScreenSettingsDto {
  return {
    tileUrl: config.MAP_TILE_URL.trim() || null,
    tileAttribution: config.MAP_TILE_ATTRIBUTION.trim() || null,
    staleAfterMs: config.GUARD_STALE_AFTER_MS,
    offlineAfterMs: Math.max(config.GUARD_OFFLINE_AFTER_MS, config.GUARD_STALE_AFTER_MS),
  };
}

/**
 * The CSP image sources the map tiles need: the tile template's origin, with a
 * `{s}` subdomain placeholder widened to a wildcard. Empty for no (or an unparsable) URL.
 */
export function tileImageSources(tileUrl: string): string[] {
  const template = tileUrl.trim();
  if (!template) return [];
  try {
    const url = new URL(template.replace('{s}', 'tile-subdomain'));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return [];
    return [`${url.protocol}//${url.host.replace('tile-subdomain', '*')}`];
  } catch {
    return [];
  }
}
