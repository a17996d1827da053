import { describe, expect, it } from 'vitest';
import { parseTopic } from '../../server/mqtt/topics';

describe('parseTopic', () => {
  it('accepts guard/<id>/gps and names its task', () => {
    expect(parseTopic('guard/guard-7/gps')).toMatchObject({
      root: 'guard',
      id: 'guard-7',
      kind: { task: 'process_guard_gps' },
    });
  });

  it.each([
    ['an unknown root', 'weather/station-1/gps'],
    ['an unknown kind', 'guard/guard-7/selfie'],
    ['an id with a forbidden character', 'guard/guard.7/gps'],
    ['an id over 64 characters', `guard/${'a'.repeat(65)}/gps`],
    ['an empty id', 'guard//gps'],
    ['too many levels', 'guard/guard-7/gps/extra'],
    ['too few levels', 'guard/gps'],
  ])('refuses %s', (_name, topic) => {
    expect(parseTopic(topic)).toBeNull();
  });
});
