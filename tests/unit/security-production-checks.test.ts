import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { configProblems, formatProblems } from '../../server/security/production-checks';
import { generateFernetKey } from '../../server/security/fernet';

const VALID = {
  NODE_ENV: 'production',
  CHANNELS_ENCRYPTION_KEY: generateFernetKey(),
  SESSION_SECRET: 'q8Zr1-XkP0vL3mN9bT7yW2cE5aH6jU4s_fG0dR',
  REDIS_URL: 'rediss://watchfloor:r3d1s-acl-pass@redis.internal:6380',
  MQTT_URL: 'mqtts://broker.internal:8883',
  MQTT_USERNAME: 'watchfloor-ingest',
  MQTT_PASSWORD: 'x'.repeat(24),
  TRUST_TLS_PROXY: 'true',
  DATABASE_URL: 'postgresql://wf_app:Vd9s-2kQp7@db.internal:5432/watchfloor',
  SMTP_URL: 'smtps://watchfloor:secret@mail.example.com:465',
  PUBLIC_URL: 'https://watchfloor.example.com',
};

const variables = (env: Record<string, string>) =>
  configProblems(loadConfig(env)).map((p) => p.variable);

describe('production checks', () => {
  it('accept a complete production configuration', () => {
    expect(variables(VALID)).toEqual([]);
  });

  it('list every problem at once, each with a fix', () => {
    const problems = configProblems(loadConfig({ NODE_ENV: 'production' }));
    expect(problems.map((p) => p.variable)).toEqual(
      expect.arrayContaining([
        'CHANNELS_ENCRYPTION_KEY',
        'SESSION_SECRET',
        'REDIS_URL',
        'MQTT_USERNAME/MQTT_PASSWORD',
        'TLS_CERT_FILE/TLS_KEY_FILE',
      ]),
    );
    expect(problems.every((p) => p.fix.length > 0)).toBe(true);
    expect(formatProblems(problems)).toMatch(/npm run keygen/);
  });

  it('treat a malformed key as an error even in development', () => {
    expect(
      variables({ WATCHFLOOR_ENV: 'development', CHANNELS_ENCRYPTION_KEY: 'not-a-key' }),
    ).toEqual(['CHANNELS_ENCRYPTION_KEY']);
  });

  it('let development run with no key at all', () => {
    expect(variables({ WATCHFLOOR_ENV: 'development' })).toEqual([]);
    expect(variables({ NODE_ENV: 'test' })).toEqual([]);
  });

  it('refuse a weak session secret', () => {
    expect(variables({ ...VALID, SESSION_SECRET: 'changeme-changeme-changeme-changeme' })).toEqual([
      'SESSION_SECRET',
    ]);
    expect(variables({ ...VALID, SESSION_SECRET: 'short' })).toEqual(['SESSION_SECRET']);
  });

  it('accept redis:// only with the explicit private-network waiver', () => {
    expect(variables({ ...VALID, REDIS_URL: 'redis://:pw@10.0.0.5:6379' })).toEqual(['REDIS_URL']);
    expect(
      variables({
        ...VALID,
        REDIS_URL: 'redis://:pw@10.0.0.5:6379',
        REDIS_TLS_WAIVED: 'private-network',
      }),
    ).toEqual([]);
  });

  it('require Redis credentials besides TLS, whatever the TLS waiver', () => {
    const problems = (env: Record<string, string>) => configProblems(loadConfig(env));
    const noAuth = problems({ ...VALID, REDIS_URL: 'rediss://redis.internal:6380' });
    expect(noAuth.map((p) => p.variable)).toEqual(['REDIS_URL']);
    expect(noAuth[0]!.problem).toMatch(/no credentials/);
    expect(
      variables({
        ...VALID,
        REDIS_URL: 'redis://10.0.0.5:6379',
        REDIS_TLS_WAIVED: 'private-network',
      }),
    ).toEqual(['REDIS_URL']);
    // An ACL user, or a password alone (requirepass), both count.
    expect(variables({ ...VALID, REDIS_URL: 'rediss://:only-a-password@redis.internal' })).toEqual(
      [],
    );
    expect(variables({ ...VALID, REDIS_URL: 'rediss://watchfloor:pw@redis.internal' })).toEqual([]);
  });

  it('refuse plain mqtt:// unless explicitly waived', () => {
    expect(variables({ ...VALID, MQTT_URL: 'mqtt://broker.internal:1883' })).toEqual(['MQTT_URL']);
    expect(variables({ ...VALID, MQTT_URL: 'ws://broker.internal:8080' })).toEqual(['MQTT_URL']);
    expect(
      variables({
        ...VALID,
        MQTT_URL: 'mqtt://broker.internal:1883',
        MQTT_TLS_WAIVED: 'private-network',
      }),
    ).toEqual([]);
    expect(variables({ ...VALID, MQTT_URL: 'wss://broker.internal/mqtt' })).toEqual([]);
    // A web node alone never connects to the broker.
    expect(variables({ ...VALID, ROLES: 'web', MQTT_URL: 'mqtt://broker.internal:1883' })).toEqual(
      [],
    );
  });

  it('accept HTTPS by certificate files instead of a trusted proxy', () => {
    const { TRUST_TLS_PROXY: _unused, ...noProxy } = VALID;
    expect(variables(noProxy)).toEqual(['TLS_CERT_FILE/TLS_KEY_FILE']);
    expect(
      variables({ ...noProxy, TLS_CERT_FILE: '/etc/c.pem', TLS_KEY_FILE: '/etc/k.pem' }),
    ).toEqual([]);
  });

  it('refuse the local-demo waiver off loopback', () => {
    const { TRUST_TLS_PROXY: _unused, ...direct } = VALID;
    expect(variables({ ...direct, LOCAL_DEMO: 'true', HOST: '0.0.0.0' })).toEqual(['LOCAL_DEMO']);
    expect(variables({ ...direct, LOCAL_DEMO: 'true', HOST: '127.0.0.1' })).toEqual([]);
  });

  it('keep JSON logs in production: pretty only for the local demo', () => {
    const { TRUST_TLS_PROXY: _unused, ...direct } = VALID;
    expect(variables({ ...VALID, LOG_FORMAT: 'pretty' })).toEqual(['LOG_FORMAT']);
    expect(
      variables({ ...direct, LOG_FORMAT: 'pretty', LOCAL_DEMO: 'true', HOST: '127.0.0.1' }),
    ).toEqual([]);
  });
});

describe('production checks fail closed (issue 10, point 8)', () => {
  it('treat an environment naming neither WATCHFLOOR_ENV nor NODE_ENV as production', () => {
    expect(loadConfig({}).NODE_ENV).toBe('production');
    expect(variables({})).toEqual(
      expect.arrayContaining(['CHANNELS_ENCRYPTION_KEY', 'SESSION_SECRET', 'DATABASE_URL']),
    );
  });

  it('let WATCHFLOOR_ENV win over NODE_ENV', () => {
    expect(loadConfig({ WATCHFLOOR_ENV: 'production', NODE_ENV: 'test' }).NODE_ENV).toBe(
      'production',
    );
    expect(loadConfig({ WATCHFLOOR_ENV: 'development', NODE_ENV: 'production' }).NODE_ENV).toBe(
      'development',
    );
    expect(() => loadConfig({ WATCHFLOOR_ENV: 'prod' })).toThrow(/WATCHFLOOR_ENV/);
  });

  it.each([
    'postgresql://watchfloor:watchfloor@db.internal:5432/watchfloor',
    'postgresql://postgres:postgres@db.internal/watchfloor',
    'postgresql://app:app@db.internal/watchfloor',
  ])('refuse the default database login %s', (url) => {
    expect(variables({ ...VALID, DATABASE_URL: url })).toEqual(['DATABASE_URL']);
  });

  it('leave a URL without a password (PGPASSWORD, .pgpass) to the database', () => {
    expect(variables({ ...VALID, DATABASE_URL: 'postgresql://watchfloor@db.internal/wf' })).toEqual(
      [],
    );
  });

  it('refuse the database default when DATABASE_URL is not set at all', () => {
    const { DATABASE_URL: _unused, ...noUrl } = VALID;
    expect(variables(noUrl)).toEqual(['DATABASE_URL']);
  });

  it('refuse LOCAL_DEMO behind a trusted TLS proxy', () => {
    expect(variables({ ...VALID, LOCAL_DEMO: 'true', HOST: '127.0.0.1' })).toEqual([
      'LOCAL_DEMO/TRUST_TLS_PROXY',
    ]);
  });
});
