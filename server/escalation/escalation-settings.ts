/** Escalation's view of the config: the public URL for links, the webhook target policy, production checks. */
import type { Config } from '../config';
import type { ConfigProblem } from '../security/config-problem';
import type { TargetPolicy } from './webhook-target';

/** Where people open the links of a notification. */
export function publicUrl(config: Config): string {
  return (
    config.PUBLIC_URL ??
    config.PUBLIC_ORIGINS[0] ??
    `http://localhost:${config.PORT}`
  ).replace(/\/+$/, '');
}

/** What a webhook may reach: never this server; internal addresses only when allowed. */
export function webhookTargetPolicy(config: Config): TargetPolicy {
  const selfHosts = new Set<string>();
  for (const origin of [publicUrl(config), ...config.PUBLIC_ORIGINS]) {
    try {
      const url = new URL(origin);
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      selfHosts.add(`${host}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`);
    } catch {
      // PUBLIC_ORIGINS entries are origins; one that is not a URL names nothing to protect.
    }
  }
  // Loopback on our own port is us, whatever PUBLIC_URL says (checkWebhookUrl treats it so).
  if (config.PORT) selfHosts.add(`127.0.0.1:${config.PORT}`);
  return {
    blockPrivate: config.WEBHOOK_BLOCK_PRIVATE,
    allowedHosts: new Set(config.WEBHOOK_ALLOWED_HOSTS),
    selfHosts,
  };
}

/** Production needs a way to e-mail people (or an explicit waiver) and links they can open. */
export function escalationConfigProblems(config: Config): ConfigProblem[] {
  // Only workers send notifications (and build their links).
  if (config.NODE_ENV !== 'production' || config.LOCAL_DEMO || !config.ROLES.includes('worker'))
    return [];
  const problems: ConfigProblem[] = [];
  if (!config.SMTP_URL && !config.SMTP_WAIVED) {
    problems.push({
      variable: 'SMTP_URL',
      problem: 'missing: escalation e-mails (SOS to supervisors) would never be sent',
      fix: 'set SMTP_URL (smtps://user:pass@mail.example.com:465) and SMTP_FROM, or SMTP_WAIVED=no-email when only webhooks escalate',
    });
  }
  if (!config.PUBLIC_URL && config.PUBLIC_ORIGINS.length === 0) {
    problems.push({
      variable: 'PUBLIC_URL',
      problem: 'missing: acknowledge and map links in notifications would point at localhost',
      fix: 'set PUBLIC_URL to the address people open Watchfloor at, e.g. https://watchfloor.example.com',
    });
  }
  return problems;
}
