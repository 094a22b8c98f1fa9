/**
 * The stand-ins for external services that the local stack starts beside the engine: MailDev for e-mail (SMTP in, a
 * web inbox out) and our Twilio-compatible server for SMS. Each is a real server the real client talks to; `env` is
 * what the Functions emulator needs to reach them (functions/src/config.ts reads it), `urls` what people and tests
 * open. Without these variables the functions report the channels "not configured" and deliver in-app only.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startMailCatcher } from './mail-catcher';
import { startTwilioServer, type TwilioMessage } from './twilio-server';

/** The ports `npm start` uses, so the inbox keeps one address; test stacks pass 0 (any free port). */
export const LOCAL_SERVICE_PORTS = { smtp: 1025, mail: 1080, sms: 4010 } as const;

export interface LocalServicesOptions {
  host: string;
  ports: { smtp: number; mail: number; sms: number };
  /** The stack's data folder: mail in <dataDir>/mail, SMS in <dataDir>/sms/messages.jsonl. */
  dataDir?: string;
  /** The web app's URL, for the links in messages. */
  appUrl: string;
}

export interface LocalServices {
  env: {
    SMTP_URL: string;
    MAIL_FROM: string;
    TWILIO_ACCOUNT_SID: string;
    TWILIO_AUTH_TOKEN: string;
    TWILIO_FROM: string;
    TWILIO_API_URL: string;
    APP_URL: string;
  };
  urls: { mailInbox: string; smtp: string; sms: string };
  /** What the SMS server has accepted, oldest first. */
  smsMessages(): TwilioMessage[];
  close(): Promise<void>;
}

/** The local account: fixed so that a kept data folder stays readable; the token is new on every start. */
const LOCAL_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
/** A number of the range reserved for fiction (+1 555 01xx), never a real subscriber. */
const LOCAL_FROM = '+15550100001';

/**
 * Starts MailDev and the Twilio-compatible server.
 * @param opts - address, ports, data folder and the app's URL
 */
export async function startLocalServices(opts: LocalServicesOptions): Promise<LocalServices> {
  const authToken = randomBytes(16).toString('hex');
  const mail = await startMailCatcher({
    host: opts.host,
    smtpPort: opts.ports.smtp,
    webPort: opts.ports.mail,
    ...(opts.dataDir ? { mailDirectory: path.join(opts.dataDir, 'mail') } : {}),
  });
  let sms;
  try {
    sms = await startTwilioServer({
      host: opts.host,
      port: opts.ports.sms,
      accountSid: LOCAL_ACCOUNT_SID,
      authToken,
      ...(opts.dataDir ? { dataFile: path.join(opts.dataDir, 'sms', 'messages.jsonl') } : {}),
    });
  } catch (e) {
    await mail.close();
    throw e;
  }
  const twilio = sms;
  return {
    env: {
      SMTP_URL: mail.smtpUrl,
      MAIL_FROM: 'Telesalud <no-responder@telesalud.test>',
      TWILIO_ACCOUNT_SID: LOCAL_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: LOCAL_FROM,
      TWILIO_API_URL: twilio.url,
      APP_URL: opts.appUrl.replace(/\/$/, ''),
    },
    urls: { mailInbox: mail.webUrl, smtp: mail.smtpUrl, sms: `${twilio.url}/messages` },
    smsMessages: () => twilio.messages(),
    close: async () => {
      await Promise.all([mail.close(), twilio.close()]);
    },
  };
}
