/**
 * Thresholds that the server and screens must apply alike. The server's
 * config may override the guard thresholds and the low-battery level (env):
 * these are the defaults, and what a screen assumes until the snapshot says.
 */

/** A guard with no fix for this long is stale. */
export const DEFAULT_STALE_AFTER_MS = 60_000;
/** A guard (or device) with nothing at all for this long is offline. */
export const DEFAULT_OFFLINE_AFTER_MS = 300_000;
/** At or below this, a device's battery is low. */
export const DEFAULT_LOW_BATTERY_PERCENT = 15;

/** How much chart history the server keeps and screens show. */
export const CHART_WINDOW_MS = 15 * 60_000;

/** A component silent for this many expected intervals is flagged silent. */
export const COMPONENT_SILENT_AFTER_INTERVALS = 2;
/** The expected interval of a component with too few reports to tell its own. */
export const COMPONENT_DEFAULT_INTERVAL_MS = 60_000;
/** How many past reports a field component carries to the screen. */
export const COMPONENT_HISTORY_LENGTH = 20;
