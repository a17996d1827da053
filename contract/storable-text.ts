/**
 * Text PostgreSQL can store exactly as given. A UTF8 database refuses U+0000
 * in text ("invalid byte sequence for encoding UTF8: 0x00"), and a lone UTF-16
 * surrogate (JSON allows "\ud800") has no UTF-8 form: the driver would turn it
 * into U+FFFD silently. Validation must never accept what storage then refuses
 * on every retry, so the edge decides: free text is repaired and kept, ids are
 * refused (an id that changed is another id). One rule for both sides of the
 * queue: the ingest repairs device text with it, and the workers' check of the
 * job data (contract/job-data.ts) refuses a job whose text breaks it.
 */

/** What replaces an unstorable character in free text. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

// U+0000, or a surrogate half without its partner.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** True when PostgreSQL stores the text exactly as it is. */
export function isStorableText(text: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return !UNSTORABLE.test(text);
}

/** Replaces each unstorable character by U+FFFD; the length (UTF-16 units) stays the same. */
export function toStorableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT_CHARACTER);
}
