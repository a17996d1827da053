/**
 * The SQL edge of times: the database keeps timestamptz, everything above it
 * carries epoch ms (contract/time.ts). Queries convert here, once, so no Date
 * is built per row or per fix on the hot paths.
 */

/** A timestamptz expression read as epoch ms (a float8, which pg hands over as a JS number). */
export const msOf = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::float8`;

/** An epoch-ms float8 expression written as a timestamptz (microsecond exact for whole ms). */
export const timestamptzOf = (expr: string) => `to_timestamp(${expr} / 1000)`;
