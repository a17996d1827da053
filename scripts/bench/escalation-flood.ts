/**
 * Escalation under load: a GPS flood at the given rate while an SOS goes out
 * every 500 ms; the first step of a policy e-mails a real SMTP sink and posts
 * to a local webhook receiver. Measures SOS publish -> the e-mail accepted by
 * the sink and -> the webhook received, p50/p99.
 */
import type pg from 'pg';
import type { SmtpSink } from '../lib/smtp-sink';
import type { WebhookReceiver } from '../lib/webhook-receiver';
import type { StepResult } from './measure';
import { runSosDuringFlood, type FloodOptions } from './sos-during-flood';
import { summarize, type LatencySummary } from './stats';

export interface EscalationFloodResult {
  flood: StepResult;
  sosPublished: number;
  emailsReceived: number;
  webhooksReceived: number;
  sosPublishToEmailMs: LatencySummary;
  sosPublishToWebhookMs: LatencySummary;
}

export const BENCH_MAILBOX = 'bench-escalation@sink.test';

/** Points the default critical policy at the sink and the receiver (the bench database is its own). */
export async function prepareEscalation(pool: pg.Pool, receiver: WebhookReceiver): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO webhooks (name, url, secret) VALUES ('bench', $1, 'whsec_bench') RETURNING id`,
    [receiver.url('/bench')],
  );
  const steps = [
    {
      afterSeconds: 0,
      recipients: [
        { kind: 'email', address: BENCH_MAILBOX },
        { kind: 'webhook', webhookId: rows[0]!.id },
      ],
    },
  ];
  await pool.query(
    `UPDATE escalation_policies SET steps = $1, enabled = true WHERE site_id IS NULL AND severity = 'critical'`,
    [JSON.stringify(steps)],
  );
}

/** Runs the flood step with SOS alerts alongside and matches each to its first e-mail and webhook. */
export async function runEscalationDuringFlood(
  options: FloodOptions & { sink: SmtpSink; receiver: WebhookReceiver },
): Promise<EscalationFloodResult> {
  // The marker travels in the alert's message, into the e-mail body and the webhook JSON.
  // Deliveries still in flight when the flood ends count too.
  const { flood, published } = await runSosDuringFlood(options, {
    name: 'esc',
    intervalMs: 500,
    settleMs: 5000,
  });
  const first = (arrivals: { text: string; at: number }[]) => {
    const delays: number[] = [];
    for (const [marker, ts] of published) {
      // The marker ends where the message does: "-1" must not match "-12".
      const hit = arrivals.find(
        (a) =>
          a.text.includes(`${marker}"`) ||
          a.text.includes(`${marker}\n`) ||
          a.text.includes(`${marker}\r`),
      );
      if (hit) delays.push(hit.at - ts);
    }
    return delays;
  };
  const mails = options.sink.mails.map((m) => ({ text: m.raw, at: m.receivedAt }));
  const hooks = options.receiver.received.map((r) => ({ text: r.body, at: r.receivedAt }));
  const email = first(mails);
  const webhook = first(hooks);
  return {
    flood,
    sosPublished: published.size,
    emailsReceived: email.length,
    webhooksReceived: webhook.length,
    sosPublishToEmailMs: summarize(email),
    sosPublishToWebhookMs: summarize(webhook),
  };
}
