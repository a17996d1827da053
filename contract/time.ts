/**
 * Times in the contract: every time that crosses a boundary (MQTT job data,
 * channel and socket events, REST bodies) is a number of epoch milliseconds
 * (UTC), typed `EpochMs`; the field keeps its plain name (`fixAt`, `readAt`).
 * Numbers compare with `<` and cost nothing to carry; screens format them only
 * for display, and the database keeps timestamptz, converted once at the SQL edge.
 */
export type EpochMs = number;
