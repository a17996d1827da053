/**
 * Times in the contract: every time that crosses a boundary (MQTT job data,
 * channel and socket events, REST bodies and URL queries) is a number of epoch
 * milliseconds (UTC), typed `EpochMs`; the field keeps its plain name (`fixAt`,
 * `readAt`). Numbers compare with `<` and cost nothing to carry; screens format
 * them only for display, and the database keeps timestamptz, converted once at
 * the SQL edge.
 */
import { z } from 'zod';

export type EpochMs = number;

/** What an edge says when a time is neither form. */
const EXPECTED = 'a time in epoch milliseconds (or ISO 8601 with an offset)';

/**
 * ISO 8601 with an offset, read as the same instant. Every edge still reads it:
 * jobs queued, links bookmarked and scripts written before times crossed as
 * numbers carry it, and refusing them would turn an upgrade into lost jobs and
 * broken links. Nothing of ours writes it any more.
 */
const isoInstant = z.iso.datetime({ offset: true, message: EXPECTED }).transform(Date.parse);

/** A time in JSON (job data, request bodies): epoch ms, or ISO 8601 text as above. */
export const epochMsSchema = z.union([z.number().int().min(0), isoInstant], EXPECTED);

/** A time in a URL query, where every value is text: epoch ms in digits, or ISO 8601 as above. */
export const epochMsParamSchema = z.union(
  [
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
    isoInstant,
  ],
  EXPECTED,
);
