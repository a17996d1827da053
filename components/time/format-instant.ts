/** Times arrive as epoch ms (contract/time.ts); they become text only here, for display. */

/** An exact instant for a tooltip: ISO 8601 UTC, as an operator can quote it. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
