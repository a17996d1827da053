/**
 * Options every MQTT connection of the server shares.
 *
 * writeCache: false. By default mqtt-packet, on its first write, builds a
 * cache of 65,536 two-byte Buffers (one per packet id) and keeps it for the
 * life of the process: about 8 MB of heap, measured in a heap snapshot of the
 * ingest, for a saving of one tiny allocation per packet written. The cache
 * is global to the process, so every client must turn it off, or the first
 * one to write builds it for all.
 */
import type { IClientOptions } from 'mqtt';

export const SERVER_MQTT_OPTIONS = {
  // MQTT 5: reason codes on every ack, session expiry, receive maximum.
  protocolVersion: 5,
  writeCache: false,
} as const satisfies IClientOptions;
