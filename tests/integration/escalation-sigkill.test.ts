/**
 * Escalation timers survive the workers: steps are delayed BullMQ jobs, and
 * each notification is claimed once in PostgreSQL. A worker process is
 * SIGKILLed mid-escalation; while no worker runs, a step falls due; a new
 * worker and a second one come up together. Every step is e-mailed exactly
 * once, the one that fell due while nothing ran says how late it was, and an
 * SOS raised while no worker ran escalates once they are back, late. Then a
 * worker is killed in the middle of an SMTP conversation: the other worker
 * takes the e-mail over once the notifications lane's lock lapses, and sends it once.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { routeFor } from '../../server/queues/routes';
import { createTaskQueues, type TaskQueues } from '../../server/queues/task-queues';
import {
  createEscalationSite,
  notificationLines,
  raiseSos,
  setPolicy,
  type EscalationSite,
} from '../helpers/escalation-fixtures';
import { serverProcesses } from '../helpers/server-processes';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { waitFor } from '../helpers/wait-for';

const id = uniqueId('esck');
let sink: SmtpSink;
let pool: pg.Pool;
let redis: Redis;
let queues: TaskQueues;
let site: EscalationSite;
const workers = serverProcesses();

/** A worker process of its own (workers only), sharing this test's queue prefix. */
const startWorker = () =>
  workers.start({
    ROLES: 'worker',
    QUEUE_PREFIX: `wfk-${id}`,
    EVENT_CHANNEL_PREFIX: `wfk-${id}:events`,
    MQTT_CLIENT_ID: `wfk-${id}`,
    SMTP_URL: sink.url,
    ESCALATION_SWEEP_MS: '1000',
  });

beforeAll(async () => {
  sink = await startSmtpSink();
  const urls = requireServiceUrls();
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 3 });
  redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  queues = createTaskQueues(redis, `wfk-${id}`, createLogger('silent'));
  site = await createEscalationSite(pool);
}, 60_000);

afterAll(async () => {
  workers.killAll();
  await site?.cleanup();
  await queues?.close();
  redis?.disconnect();
  await pool?.end();
  await sink?.close();
});

const subjectsTo = (address: string, alertId: string) =>
  sink.mails.filter((m) => m.to.includes(address) && m.raw.includes(alertId));

describe('escalation across a worker SIGKILL', () => {
  it('neither loses nor doubles a step when the worker is killed and two come back', async () => {
    // Steps 6 s apart: room to kill the worker after step 1 and leave step 2 due with no worker.
    await setPolicy(pool, site.siteId, [
      { afterSeconds: 0, recipients: [{ kind: 'email', address: 'step0@sink.test' }] },
      { afterSeconds: 6, recipients: [{ kind: 'email', address: 'step1@sink.test' }] },
      { afterSeconds: 12, recipients: [{ kind: 'email', address: 'step2@sink.test' }] },
      { afterSeconds: 30, recipients: [{ kind: 'email', address: 'step3@sink.test' }] },
    ]);
    const first = await startWorker();
    const alertId = await raiseSos(pool, queues, site.guardId, 60_000);
    // Killed once step 1 is recorded sent (the one window no system closes is between the
    // SMTP server's acceptance and that record: there a retry repeats the same Message-ID).
    await waitFor(
      async () =>
        (await notificationLines(pool, alertId)).includes('1.0 email step1@sink.test sent'),
      { timeoutMs: 60_000, what: 'step 1' },
    );
    first.kill('SIGKILL');

    // Step 2 falls due (12 s after the alert) while no worker runs.
    const { rows } = await pool.query<{ received_at: Date }>(
      `SELECT received_at FROM alerts WHERE id = $1`,
      [alertId],
    );
    const step2Due = rows[0]!.received_at.getTime() + 12_000;
    // A second SOS comes in while no worker runs (queued as the ingest would).
    const raisedWhileDown = raiseSos(pool, queues, site.guardId, 120_000);
    raisedWhileDown.catch(() => undefined); // awaited below; a failure before then is not unhandled
    await new Promise((r) => setTimeout(r, Math.max(0, step2Due - Date.now()) + 3000));
    expect(subjectsTo('step2@sink.test', alertId)).toHaveLength(0);

    // Two workers at once: the restart and a second worker.
    await Promise.all([startWorker(), startWorker()]);
    await waitFor(() => subjectsTo('step3@sink.test', alertId)[0], {
      timeoutMs: 90_000,
      what: 'step 3 after the restart',
    });
    // The SOS raised while the workers were down escalated once they were back, saying how late.
    const downId = await raisedWhileDown;
    const downFirst = await waitFor(() => subjectsTo('step0@sink.test', downId)[0], {
      timeoutMs: 60_000,
      what: 'the first step of the SOS raised while the workers were down',
    });
    expect(downFirst.raw).toMatch(/Late: this step is \d+ s late/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(subjectsTo('step0@sink.test', downId)).toHaveLength(1);

    for (const step of [0, 1, 2, 3]) {
      expect(subjectsTo(`step${step}@sink.test`, alertId), `step ${step}`).toHaveLength(1);
    }
    expect(await notificationLines(pool, alertId)).toEqual([
      '0.0 email step0@sink.test sent',
      '1.0 email step1@sink.test sent',
      '2.0 email step2@sink.test sent',
      '3.0 email step3@sink.test sent',
    ]);
    const late = await pool.query<{ late_ms: number }>(
      `SELECT late_ms FROM escalation_notifications WHERE alert_id = $1 AND step = 2`,
      [alertId],
    );
    expect(late.rows[0]!.late_ms).toBeGreaterThan(2000);
    expect(subjectsTo('step2@sink.test', alertId)[0]!.raw).toMatch(/Late: this step is \d+ s late/);
  }, 240_000);

  it('sends an e-mail once when the worker sending it is killed mid-conversation', async () => {
    while (workers.running().length < 2) await startWorker();
    const address = `held-${id}@sink.test`.toLowerCase();
    const release = sink.hold(address);
    await setPolicy(pool, site.siteId, [
      { afterSeconds: 0, recipients: [{ kind: 'email', address }] },
    ]);
    const alertId = await raiseSos(pool, queues, site.guardId, 60_000);
    // The e-mail job is inside a worker, its SMTP transaction held before anything is accepted.
    await waitFor(() => sink.held() > 0, { timeoutMs: 60_000, what: 'the e-mail at RCPT TO' });
    const lane = queues.queue(routeFor('send_escalation_email').queue);
    const job = (await lane.getJobs(['active'])).find((j) => j.name === 'send_escalation_email');
    const holderPid = Number(job?.processedBy?.split('~')[1]);
    const holder = workers.running().find((w) => w.pid === holderPid);
    expect(holder, `the worker sending it (${job?.processedBy})`).toBeDefined();
    holder!.kill('SIGKILL');
    release();

    await waitFor(() => sink.mails.find((m) => m.to.includes(address)), {
      timeoutMs: 60_000,
      what: 'the e-mail sent by the surviving worker',
    });
    await new Promise((r) => setTimeout(r, 3000));
    expect(
      sink.mails.filter((m) => m.to.includes(address) && m.raw.includes(alertId)),
    ).toHaveLength(1);
    const { rows } = await pool.query(
      `SELECT status, attempts FROM escalation_notifications WHERE alert_id = $1`,
      [alertId],
    );
    // Two attempts: the killed one, and the one that sent it.
    expect(rows).toEqual([{ status: 'sent', attempts: 2 }]);
  }, 120_000);
});
