/**
 * The SMTP transport (nodemailer) for escalation e-mails. Each message gets a
 * Message-ID made from its notification id, so in the one window where a
 * retry can repeat a message (the worker died after the server accepted it
 * and before the row said so) mail clients and the sink see the same message.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { htmlBody, subject, textBody, type NotificationContent } from './notification-content';

export interface Mailer {
  send(to: string, content: NotificationContent): Promise<void>;
  close(): void;
}

/** Builds the mailer from SMTP_URL; null when none is configured. */
export function createMailer(options: {
  url: string | undefined;
  from: string;
  /** Domain of the Message-IDs. */
  messageIdDomain?: string;
}): Mailer | null {
  if (!options.url) return null;
  const transport: Transporter = nodemailer.createTransport(options.url);
  const domain = options.messageIdDomain ?? 'watchfloor';
  return {
    async send(to, content) {
      await transport.sendMail({
        from: options.from,
        to,
        subject: subject(content),
        text: textBody(content),
        html: htmlBody(content),
        messageId: `<${content.id}@${domain}>`,
        headers: { 'X-Watchfloor-Alert': content.alert.id },
      });
    },
    close: () => transport.close(),
  };
}
