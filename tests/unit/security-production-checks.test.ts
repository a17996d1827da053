import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { configProblems, formatProblems } from '../../server/security/production-checks';
import { generateFernetKey } from '../../server/security/fernet';

const VALID = {
  NODE_ENV: 'production',
  CHANNELS_ENCRYPTION_KEY: generateFernetKey(),
  SESSION_SECRET: 'q8Zr1-XkP0vL3mN9bT7yW2cE5aH6jU4s_fG0dR',
  REDIS_URL: 'rediss://redis.internal:6380',
  MQTT_USERNAME: 'watchfloor-ingest',
  MQTT_PASSWORD: 'x'.repeat(24),
  TRUST_TLS_PROXY: 'true',
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
    expect(variables({ CHANNELS_ENCRYPTION_KEY: 'not-a-key' })).toEqual([
      'CHANNELS_ENCRYPTION_KEY',
    ]);
  });

  it('let development run with no key at all', () => {
    expect(variables({})).toEqual([]);
  });

  it('refuse a weak session secret', () => {
    expect(variables({ ...VALID, SESSION_SECRET: 'changeme-changeme-changeme-changeme' })).toEqual([
      'SESSION_SECRET',
    ]);
    expect(variables({ ...VALID, SESSION_SECRET: 'short' })).toEqual(['SESSION_SECRET']);
  });

  it('accept redis:// only with the explicit private-network waiver', () => {
    expect(variables({ ...VALID, REDIS_URL: 'redis://10.0.0.5:6379' })).toEqual(['REDIS_URL']);
    expect(
      variables({
        ...VALID,
        REDIS_URL: 'redis://10.0.0.5:6379',
        REDIS_TLS_WAIVED: 'private-network',
      }),
    ).toEqual([]);
  });

  it('accept HTTPS by certificate files instead of a trusted proxy', () => {
    const { TRUST_TLS_PROXY: _unused, ...noProxy } = VALID;
    expect(variables(noProxy)).toEqual(['TLS_CERT_FILE/TLS_KEY_FILE']);
    expect(
      variables({ ...noProxy, TLS_CERT_FILE: '/etc/c.pem', TLS_KEY_FILE: '/etc/k.pem' }),
    ).toEqual([]);
  });

  it('refuse the local-demo waiver off loopback', () => {
    expect(variables({ ...VALID, LOCAL_DEMO: 'true', HOST: '0.0.0.0' })).toEqual(['LOCAL_DEMO']);
    expect(variables({ ...VALID, LOCAL_DEMO: 'true', HOST: '127.0.0.1' })).toEqual([]);
  });
});
