/**
 * A real SMTP server on loopback (the smtp-server package) that accepts every
 * message and keeps it for tests and the benchmark to read:
 * recipients, headers and the raw text.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  to: string[];
  subject: string;
  messageId: string;
  raw: string;
  receivedAt: number;
}

export interface SmtpSink {
  url: string;
  mails: SunkMail[];
  /**
   * Holds every transaction to this address at RCPT TO (nothing accepted yet)
   * until the returned release is called: a test can kill the sender mid-send.
   */
  hold(address: string): () => void;
  /** How many transactions wait at a hold now. */
  held(): number;
  close(): Promise<void>;
}

const header = (raw: string, name: string) => {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  // Folded headers continue on lines that start with white space.
  const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return match ? match[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : '';
};

/** Starts the sink on a free loopback port. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const holds = new Map<string, (() => void)[]>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const waiting = holds.get(address.address.toLowerCase());
      if (waiting) waiting.push(() => callback());
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          subject: header(raw, 'Subject'),
          messageId: header(raw, 'Message-ID'),
          raw,
          receivedAt: Date.now(),
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    hold(address) {
      const key = address.toLowerCase();
      holds.set(key, []);
      return () => {
        const waiting = holds.get(key) ?? [];
        holds.delete(key);
        // A sender killed meanwhile left a closed connection: answering it is a no-op.
        for (const go of waiting) go();
      };
    },
    held: () => [...holds.values()].reduce((n, w) => n + w.length, 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
