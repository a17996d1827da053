/**
 * Where a webhook may point. A URL must be http(s), carry no credentials, and
 * not be this server. With WEBHOOK_BLOCK_PRIVATE (the default) it may not
 * reach loopback, private, link-local (cloud metadata), CGNAT, multicast or
 * reserved addresses either: checked when saved (literal addresses) and again
 * for every address DNS gives at delivery time, inside the connection's own
 * lookup, so a name that later resolves inward (DNS rebinding) is refused too.
 * WEBHOOK_ALLOWED_HOSTS names hosts that may be internal (an on-site chat server).
 */
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { AppError } from '../errors';

export class WebhookTargetError extends AppError {
  constructor(message: string) {
    super('WEBHOOK_TARGET_REFUSED', message, 422);
    this.name = 'WebhookTargetError';
  }
}

export interface TargetPolicy {
  blockPrivate: boolean;
  /** Lower-case host names (or literal addresses) allowed even when internal. */
  allowedHosts: ReadonlySet<string>;
  /** host:port of this server as clients reach it (public origins, and loopback on its port). */
  selfHosts: ReadonlySet<string>;
}

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** True for an address a webhook may not reach while private addresses are blocked. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Parses and checks a webhook URL; throws WebhookTargetError saying why it is refused. */
export function checkWebhookUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookTargetError('a webhook URL must be http:// or https://');
  }
  if (url.username || url.password) {
    throw new WebhookTargetError('no credentials in the URL: the signature authenticates us');
  }
  const host = bareHost(url.hostname);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const loopbackName = host === 'localhost' || (isIP(host) !== 0 && isLoopback(host));
  if (
    policy.selfHosts.has(`${host}:${port}`) ||
    (loopbackName && [...policy.selfHosts].some((h) => h.endsWith(`:${port}`)))
  ) {
    throw new WebhookTargetError('a webhook may not point at this server');
  }
  if (policy.blockPrivate && !policy.allowedHosts.has(host)) {
    if (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      (isIP(host) && isInternalAddress(host))
    ) {
      throw new WebhookTargetError(
        `${host} is an internal address (allow it with WEBHOOK_ALLOWED_HOSTS, or WEBHOOK_BLOCK_PRIVATE=false)`,
      );
    }
  }
  return url;
}

function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A dns.lookup for http.request that refuses internal addresses for hosts not allowed. */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (policy.blockPrivate && !policy.allowedHosts.has(bareHost(hostname))) {
        const inward = list.find((a) => isInternalAddress(a.address));
        if (inward) {
          const refused = new WebhookTargetError(
            `${hostname} resolves to the internal address ${inward.address}`,
          ) as unknown as NodeJS.ErrnoException;
          return callback(refused, []);
        }
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      if (!first)
        return callback(
          Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
          [],
        );
      callback(null, first.address, first.family);
    });
  };
}
