/**
 * The outgoing channels as the environment configures them, resolved when a delivery needs them. A channel without
 * its settings is "not configured": deliveries record that and the in-app notification stays the one that arrives.
 */
import { appUrl, mailConfig, smsConfig } from '../config';
import { mailSender, type MailSender } from '../integrations/mail';
import { smsSender, type SmsSender } from '../integrations/sms';
import { notificationLogs } from './logs';

export type Channel<T> = { sender: T } | { notConfigured: readonly string[] };

export interface Channels {
  email: Channel<MailSender>;
  sms: Channel<SmsSender>;
  /** Firebase Cloud Messaging is not wired yet: always not configured. */
  push: Channel<never>;
  appUrl: string | null;
}

const warned = new Set<string>();
function warnOnce(channel: string, missing: readonly string[]): void {
  const key = `${channel}:${missing.join(',')}`;
  if (warned.has(key)) return;
  warned.add(key);
  notificationLogs.channelNotConfigured(channel, missing);
}

/**
 * The channels of this environment.
 * @param env - the environment (process.env by default)
 */
export function channelsFromEnv(env: Record<string, string | undefined> = process.env): Channels {
  const mail = mailConfig(env);
  const sms = smsConfig(env);
  if (!mail.configured) warnOnce('email', mail.missing);
  if (!sms.configured) warnOnce('sms', sms.missing);
  return {
    email: mail.configured ? { sender: mailSender(mail.settings) } : { notConfigured: mail.missing },
    sms: sms.configured ? { sender: smsSender(sms.settings) } : { notConfigured: sms.missing },
    push: { notConfigured: ['FCM'] },
    appUrl: appUrl(env),
  };
}
