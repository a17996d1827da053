import { describe, expect, it } from 'vitest';
import { CHANNEL_TTL_SECONDS, createChannelCodec } from '../../server/security/channel-codec';
import {
  fernetDecrypt,
  fernetEncrypt,
  generateFernetKey,
  InvalidTokenError,
  MalformedKeyError,
  parseFernetKey,
} from '../../server/security/fernet';

// The Fernet spec's published vector (github.com/fernet/spec, generate.json / verify.json).
const SPEC = {
  secret: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
  token:
    'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==',
  now: Date.parse('1985-10-26T01:20:00-07:00'),
  iv: Buffer.from([...Array(16).keys()]),
  src: 'hello',
};

function flipByte(token: string, index: number): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[index] = bytes[index]! ^ 0x01;
  return (
    bytes.toString('base64url') + '='.repeat((4 - (bytes.toString('base64url').length % 4)) % 4)
  );
}

describe('Fernet', () => {
  it('produces the spec test vector', () => {
    const token = fernetEncrypt(parseFernetKey(SPEC.secret), Buffer.from(SPEC.src), {
      now: SPEC.now,
      iv: SPEC.iv,
    });
    expect(token).toBe(SPEC.token);
  });

  it('verifies the spec test vector within its ttl', () => {
    const plain = fernetDecrypt(parseFernetKey(SPEC.secret), SPEC.token, {
      ttlSeconds: 60,
      now: SPEC.now + 1000,
    });
    expect(plain.toString()).toBe(SPEC.src);
  });

  it('rejects the spec vector once expired', () => {
    expect(() =>
      fernetDecrypt(parseFernetKey(SPEC.secret), SPEC.token, {
        ttlSeconds: 60,
        now: SPEC.now + 120_000,
      }),
    ).toThrow(InvalidTokenError);
  });

  it.each([0, 5, 20, 40, 60])('rejects a token with byte %i flipped', (index) => {
    expect(() => fernetDecrypt(parseFernetKey(SPEC.secret), flipByte(SPEC.token, index))).toThrow(
      InvalidTokenError,
    );
  });

  it('rejects a token made with another key', () => {
    const token = fernetEncrypt(parseFernetKey(generateFernetKey()), Buffer.from('x'));
    expect(() => fernetDecrypt(parseFernetKey(SPEC.secret), token)).toThrow(InvalidTokenError);
  });

  it('generates keys of 44 characters ending in "="', () => {
    const key = generateFernetKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(() => parseFernetKey(key)).not.toThrow();
  });

  it.each([
    ['too short', 'abc='],
    ['standard base64 alphabet', 'cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4='],
    ['no padding', 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4'],
  ])('refuses a malformed key (%s)', (_name, key) => {
    expect(() => parseFernetKey(key)).toThrow(MalformedKeyError);
  });
});

describe('the channel codec', () => {
  it('round-trips and hides the plaintext', () => {
    const codec = createChannelCodec(generateFernetKey());
    const sealed = codec.seal('{"guardId":"guard-7"}');
    expect(sealed).not.toContain('guard-7');
    expect(codec.open(sealed).toString()).toBe('{"guardId":"guard-7"}');
  });

  it('rotates: the first key encrypts, every listed key decrypts', () => {
    const [oldKey, newKey] = [generateFernetKey(), generateFernetKey()];
    const before = createChannelCodec(oldKey).seal('old message');
    const rotated = createChannelCodec(`${newKey},${oldKey}`);
    expect(rotated.open(before).toString()).toBe('old message');
    expect(createChannelCodec(newKey).open(rotated.seal('new')).toString()).toBe('new');
  });

  it('refuses plain text when a key is set', () => {
    expect(() => createChannelCodec(generateFernetKey()).open('{"type":"alert.changed"}')).toThrow(
      InvalidTokenError,
    );
  });

  it('names the bad key in a list', () => {
    expect(() => createChannelCodec(`${generateFernetKey()},nope`)).toThrow(/key 2 of 2/);
  });

  it('passes through without a key (development)', () => {
    const codec = createChannelCodec(undefined);
    expect(codec.encrypted).toBe(false);
    expect(codec.open(codec.seal('x')).toString()).toBe('x');
  });
});

describe('channel message lifetime (issue 10, point 9)', () => {
  it('refuses a captured message replayed after the TTL, and accepts a fresh one', () => {
    const key = generateFernetKey();
    const codec = createChannelCodec(key);
    const old = fernetEncrypt(parseFernetKey(key), Buffer.from('{"type":"alert"}'), {
      now: Date.now() - (CHANNEL_TTL_SECONDS + 60) * 1000,
    });
    expect(() => codec.open(old)).toThrow(/expired/);
    expect(codec.open(codec.seal('fresh')).toString()).toBe('fresh');
  });
});
