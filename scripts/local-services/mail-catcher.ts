/**
 * The local SMTP catcher: MailDev (npm `maildev` 3, which runs on Node 20 and 22) in this process. Functions send to
 * its SMTP port with nodemailer exactly as they would to a real relay; it keeps every message (on disk under the
 * stack's data folder when there is one) and shows them in its web inbox, whose REST API the tests read
 * (GET /api/email, /api/email/:id/attachment/:filename). It relays nothing: no outgoing host is configured.
 */
import { mkdirSync } from 'node:fs';
import { MailDev } from 'maildev';

export interface MailCatcherOptions {
  host: string;
  /** 0 picks any free port, for both. */
  smtpPort: number;
  webPort: number;
  /** Where the .eml files are kept across restarts; absent keeps them in a temporary folder, not restored. */
  mailDirectory?: string;
}

export interface RunningMailCatcher {
  /** For nodemailer: smtp://host:port. */
  smtpUrl: string;
  /** The web inbox; its API is under /api. */
  webUrl: string;
  close(): Promise<void>;
}

/** One message as MailDev's API lists it (the fields the tests read). */
export interface CaughtMail {
  id: string;
  subject: string;
  text?: string;
  html?: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  attachments?: { filename: string; generatedFileName: string; contentType: string; size: number }[];
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts MailDev's SMTP server and web inbox.
 * @param opts - address, ports and the folder for kept mail
 */
export async function startMailCatcher(opts: MailCatcherOptions): Promise<RunningMailCatcher> {
  if (opts.mailDirectory) mkdirSync(opts.mailDirectory, { recursive: true });
  const maildev = new MailDev({
    smtp: opts.smtpPort,
    ip: opts.host,
    web: opts.webPort,
    webIp: opts.host,
    silent: true,
    ...(opts.mailDirectory ? { mailDirectory: opts.mailDirectory } : {}),
  });
  const servers = await maildev.start();
  const webPort = servers.api?.getPort();
  if (webPort === undefined || webPort === null) {
    await maildev.stop();
    throw new Error('MailDev started without its web inbox');
  }
  const host = hostForUrl(opts.host);
  return {
    smtpUrl: `smtp://${host}:${servers.smtp.getPort()}`,
    webUrl: `http://${host}:${webPort}`,
    close: () => maildev.stop(),
  };
}

/**
 * Every message MailDev holds, oldest first, through its REST API.
 * @param webUrl - the inbox's base URL
 */
export async function caughtMail(webUrl: string): Promise<CaughtMail[]> {
  const r = await fetch(`${webUrl}/api/email`);
  if (!r.ok) throw new Error(`MailDev answered ${r.status} for /api/email`);
  return (await r.json()) as CaughtMail[];
}
