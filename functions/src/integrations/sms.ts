/**
 * SMS through the `twilio` SDK (`client.messages.create`). The client is built on the first send from the settings
 * of config.ts. With TWILIO_API_URL the SDK's own HTTP client is kept and only the origin of each request is
 * replaced (https://api.twilio.com → that URL): the SDK's `edge`/`region` options change only the host name, not the
 * scheme or port, so they cannot reach a local server. Locally that URL is scripts/local-services' Twilio server.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { SmsSettings } from '../config';
import { SendError } from './send-error';

export interface SmsSender {
  /** Sends one SMS; resolves with the message SID, rejects with a SendError. */
  send(sms: { to: string; body: string }): Promise<{ providerId: string }>;
}


/** Twilio's request client, sending every request to another origin with the same path, query, body and auth. */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super();
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.origin}${target.pathname}${target.search}` });
  }
}

const clients = new Map<string, twilio.Twilio>();

function clientFor(s: SmsSettings): twilio.Twilio {
  const key = `${s.accountSid}\n${s.authToken}\n${s.apiUrl ?? ''}`;
  let c = clients.get(key);
  if (!c) {
    c = twilio(s.accountSid, s.authToken, s.apiUrl ? { httpClient: new RedirectingRequestClient(s.apiUrl) } : {});
    clients.set(key, c);
  }
  return c;
}

function field(e: unknown, name: string): unknown {
  return typeof e === 'object' && e !== null && name in e ? (e as Record<string, unknown>)[name] : undefined;
}

/**
 * Classifies a Twilio failure: a 4xx answer (bad number, refused credentials, body too long) fails again; 429, a 5xx
 * or no answer at all may pass later.
 * @param e - what messages.create rejected with
 */
export function smsSendError(e: unknown): SendError {
  const status = field(e, 'status');
  const code = field(e, 'code');
  if (typeof status === 'number') {
    const label = `twilio-${typeof code === 'number' ? code : status}`;
    return new SendError(label, status >= 400 && status < 500 && status !== 429, e);
  }
  return new SendError(typeof code === 'string' ? code : 'network', false, e);
}

/**
 * A sender for these settings; the client is built on the first send.
 * @param settings - account, token, sender and optionally a Twilio-compatible origin
 */
export function smsSender(settings: SmsSettings): SmsSender {
  return {
    async send(sms) {
      try {
        const m = await clientFor(settings).messages.create({ to: sms.to, from: settings.from, body: sms.body });
        return { providerId: m.sid };
      } catch (e) {
        throw smsSendError(e);
      }
    },
  };
}
