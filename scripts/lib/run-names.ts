/**
 * The names that keep one run's queues, events and broker sessions apart from
 * every other run's on shared services (tests, benchmarks, soaks side by side).
 */
export function runScopedNames(base: string) {
  return {
    QUEUE_PREFIX: base,
    EVENT_CHANNEL_PREFIX: `${base}:events`,
    MQTT_CLIENT_ID: base,
    MQTT_SHARE_GROUP: base,
  };
}
