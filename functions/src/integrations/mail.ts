/**
 * E-mail through nodemailer over SMTP. The transport is built on the first send from the settings of config.ts and
 * kept for the instance (one pool of connections, not one per message). Locally SMTP_URL points at MailDev.
 */
import nodemailer from 'nodemailer';
import type { MailSettings } from '../config';
import { SendError } from './send-error';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

export interface MailSender {
  /** Sends one message; resolves with the SMTP message id, rejects with a SendError. */
  send(mail: OutgoingMail): Promise<{ providerId: string }>;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;
const transports = new Map<string, Transport>();

function transportFor(smtpUrl: string): Transport {
  let t = transports.get(smtpUrl);
  if (!t) {
    t = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, t);
  }
  return t;
}

function field(e: unknown, name: string): unknown {
  return typeof e === 'object' && e !== null && name in e ? (e as Record<string, unknown>)[name] : undefined;
}

/**
 * Classifies a nodemailer failure: a 5xx SMTP reply or a refused envelope will fail again (permanent); a 4xx reply,
 * a connection or a timeout may pass later.
 * @param e - what sendMail rejected with
 */
export function mailSendError(e: unknown): SendError {
  const responseCode = field(e, 'responseCode');
  const code = field(e, 'code');
  const smtp = typeof responseCode === 'number' ? responseCode : undefined;
  const label = smtp !== undefined ? `smtp-${smtp}` : typeof code === 'string' ? code : 'unknown';
  const permanent = (smtp !== undefined && smtp >= 500) || code === 'EENVELOPE' || code === 'EAUTH';
  return new SendError(label, permanent, e);
}

/**
 * A sender for these settings; the connection is made on the first send.
 * @param settings - SMTP URL and sender address
 */
export function mailSender(settings: MailSettings): MailSender {
  return {
    async send(mail) {
      try {
        const info = await transportFor(settings.smtpUrl).sendMail({
          from: settings.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(mail.attachments ? { attachments: mail.attachments } : {}),
        });
        return { providerId: info.messageId };
      } catch (e) {
        throw mailSendError(e);
      }
    },
  };
}
