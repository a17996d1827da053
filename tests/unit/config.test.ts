import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_SERVICE_DEFAULTS, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('defaults to every role and the local services', () => {
    const config = loadConfig({});
    expect(config.ROLES).toEqual(['web', 'ingest', 'worker']);
    expect(config.DATABASE_URL).toBe(LOCAL_SERVICE_DEFAULTS.databaseUrl);
    expect(config.PORT).toBe(LOCAL_SERVICE_DEFAULTS.webPort);
  });

  it('parses a role list', () => {
    expect(loadConfig({ ROLES: 'ingest, worker' }).ROLES).toEqual(['ingest', 'worker']);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ ROLES: 'web,cook', PORT: 'eighty', REDIS_URL: 'not a url' });
      expect.unreachable('loadConfig accepted a broken environment');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/ROLES/);
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/REDIS_URL/);
    }
  });

  it('runs the restart sentinel for Mosquitto only, unless told otherwise', () => {
    expect(loadConfig({}).MQTT_BROKER_KIND).toBe('mosquitto');
    expect(loadConfig({}).MQTT_INGEST_SENTINEL).toBe(true);
    expect(loadConfig({ MQTT_BROKER_KIND: 'mqtt5-cluster' }).MQTT_INGEST_SENTINEL).toBe(false);
    expect(
      loadConfig({ MQTT_BROKER_KIND: 'mqtt5-cluster', MQTT_INGEST_SENTINEL: 'true' })
        .MQTT_INGEST_SENTINEL,
    ).toBe(true);
    expect(loadConfig({ MQTT_INGEST_SENTINEL: 'false' }).MQTT_INGEST_SENTINEL).toBe(false);
    expect(() => loadConfig({ MQTT_BROKER_KIND: 'rabbitmq' })).toThrow(/MQTT_BROKER_KIND/);
  });
});
