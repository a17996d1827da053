/**
 * A dead webhook receiver trips its own circuit breaker, as device commands
 * do: after WEBHOOK_BREAKER_FAILURES failures in a row the remaining retries
 * fail at once without a request, every attempt is in the delivery log, the
 * notification ends failed, the breaker shows open where admins see breakers,
 * and the e-mail of the same step goes out regardless.
 */
import { describe, expect, it } from 'vitest';
import { listBreakers } from '../../server/commands/breaker-registry';
import { waitForNotification } from '../helpers/escalation-fixtures';
import { escalationHarnessPerFile } from '../helpers/escalation-harness';
import { waitFor } from '../helpers/wait-for';

const h = escalationHarnessPerFile({ WEBHOOK_BREAKER_FAILURES: '2', WEBHOOK_ATTEMPTS: '4' });

describe('webhook circuit breaker', () => {
  it('opens after two failures in a row; the later retries fail fast, and the e-mail still goes', async () => {
    const { alertId } = await h.sosToFailingWebhook('/dead', 500);
    const failed = await waitForNotification(h.pool, alertId, 'webhook', 'failed');
    expect(failed.attempts).toBe(4);
    expect(failed.error).toMatch(/circuit breaker is open/);
    await waitForNotification(h.pool, alertId, 'email', 'sent');

    // Two requests reached the receiver; the breaker refused the other two before any was made.
    const calls = h.receiver.received.filter((r) => r.path === '/dead' && r.body.includes(alertId));
    expect(calls).toHaveLength(2);
    const { rows } = await h.pool.query<{
      attempt: number;
      ok: boolean;
      status_code: number | null;
    }>(
      `SELECT attempt, ok, status_code FROM webhook_deliveries WHERE alert_id = $1 ORDER BY attempt`,
      [alertId],
    );
    expect(rows.map((r) => [r.attempt, r.ok, r.status_code])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, false, null],
      [4, false, null],
    ]);

    const breaker = await waitFor(
      async () =>
        (await listBreakers(h.redis, h.app.config.QUEUE_PREFIX)).find(
          (b) => b.name === 'webhook:hook /dead' && b.state === 'open',
        ),
      { timeoutMs: 10_000, what: "the webhook's breaker reported open" },
    );
    expect(breaker.failuresToOpen).toBe(2);
  }, 60_000);
});
