import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../server/escalation/webhook-signature';
import {
  checkWebhookUrl,
  isInternalAddress,
  type TargetPolicy,
} from '../../server/escalation/webhook-target';
import {
  escalationConfigProblems,
  webhookTargetPolicy,
} from '../../server/escalation/escalation-settings';
import { loadConfig } from '../../server/config';

const policy: TargetPolicy = {
  blockPrivate: true,
  allowedHosts: new Set(['chat.internal']),
  selfHosts: new Set(['watchfloor.example.com:443', '127.0.0.1:3000']),
};

describe('webhook targets', () => {
  it('accepts public http(s) URLs and refuses other schemes, credentials, this server and internal addresses', () => {
    expect(checkWebhookUrl('https://events.pagerduty.com/v2/enqueue', policy).hostname).toBe(
      'events.pagerduty.com',
    );
    for (const url of [
      'ftp://example.com/hook',
      'https://user:pw@example.com/hook',
      'https://watchfloor.example.com/api/alerts',
      'http://localhost:3000/api',
      'http://127.0.0.1:8080/',
      'http://10.1.2.3/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:192.168.1.1]/',
      'not a url',
    ]) {
      expect(() => checkWebhookUrl(url, policy), url).toThrow(/./);
    }
    // An allowed internal host passes; with blocking off only this server stays refused.
    expect(() => checkWebhookUrl('http://chat.internal/hook', policy)).not.toThrow();
    const open = { ...policy, blockPrivate: false };
    expect(() => checkWebhookUrl('http://10.1.2.3/', open)).not.toThrow();
    expect(() => checkWebhookUrl('http://127.0.0.1:3000/api', open)).toThrow(/this server/);
  });

  it('classifies addresses', () => {
    expect(isInternalAddress('8.8.8.8')).toBe(false);
    expect(isInternalAddress('2606:4700::1111')).toBe(false);
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.0.1',
      '100.64.0.1',
      '169.254.1.1',
      '::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isInternalAddress(a), a).toBe(true);
    }
  });

  it('derives the policy from the config, and production requires SMTP or the waiver', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://wf.example.com',
      WEBHOOK_ALLOWED_HOSTS: 'Chat.Internal, 10.0.0.5',
    });
    const derived = webhookTargetPolicy(config);
    expect(derived.selfHosts.has('wf.example.com:443')).toBe(true);
    expect([...derived.allowedHosts]).toEqual(['chat.internal', '10.0.0.5']);
    const prod = (env: Record<string, string>) =>
      escalationConfigProblems(
        loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://wf.example.com', ...env }),
      ).map((p) => p.variable);
    expect(prod({})).toEqual(['SMTP_URL']);
    expect(prod({ SMTP_URL: 'smtps://u:p@mail.example.com:465' })).toEqual([]);
    expect(prod({ SMTP_WAIVED: 'no-email' })).toEqual([]);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"n1","event":"alert.escalation"}';
  const now = 1_800_000_000_000;

  it('verifies its own signature and refuses forged, tampered, stale, future and replayed ones', () => {
    const header = signWebhook(secret, body, now);
    const seen = new Set<string>();
    expect(verifyWebhookSignature({ secret, body, header, now, seen })).toEqual({
      ok: true,
      timestamp: now,
    });
    expect(verifyWebhookSignature({ secret, body, header, now, seen })).toMatchObject({
      reason: 'replayed',
    });
    expect(verifyWebhookSignature({ secret: 'other', body, header, now })).toMatchObject({
      reason: 'bad_signature',
    });
    expect(verifyWebhookSignature({ secret, body: `${body} `, header, now })).toMatchObject({
      reason: 'bad_signature',
    });
    // A fresh time on an old signature breaks the MAC: the time is signed.
    const moved = header.replace(`t=${now}`, `t=${now + 1000}`);
    expect(verifyWebhookSignature({ secret, body, header: moved, now })).toMatchObject({
      reason: 'bad_signature',
    });
    expect(verifyWebhookSignature({ secret, body, header, now: now + 10 * 60_000 })).toMatchObject({
      reason: 'too_old',
    });
    expect(verifyWebhookSignature({ secret, body, header, now: now - 10 * 60_000 })).toMatchObject({
      reason: 'in_future',
    });
    expect(verifyWebhookSignature({ secret, body, header: 'v1=abc', now })).toMatchObject({
      reason: 'malformed',
    });
  });
});
