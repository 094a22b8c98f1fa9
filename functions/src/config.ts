/**
 * Configuration of the outgoing channels, read from the environment when a channel is first used. Plain variables
 * rather than firebase-functions params: params without a default make the Functions emulator ask for a value at
 * load time (and write it into functions/.env.*), while an absent channel must simply be "not configured". In
 * production the same names come from functions/.env.<project> and Secret Manager (TWILIO_AUTH_TOKEN, SMTP_URL's
 * password); locally scripts/local-services passes them to the Functions emulator.
 *   SMTP_URL           smtp[s]://user:pass@host:port            MAIL_FROM     "Name <address>"
 *   TWILIO_ACCOUNT_SID AC…   TWILIO_AUTH_TOKEN   TWILIO_FROM (E.164 or sender id)
 *   TWILIO_API_URL     only for a Twilio-compatible server instead of https://api.twilio.com (the local one)
 *   APP_URL            the web app's origin, for links in messages
 */

/** A channel's settings, or why it is not configured (the names of the missing or invalid variables). */
export type ChannelConfig<T> = { configured: true; settings: T } | { configured: false; missing: string[] };

export interface MailSettings {
  smtpUrl: string;
  from: string;
}

export interface SmsSettings {
  accountSid: string;
  authToken: string;
  from: string;
  /** A Twilio-compatible base URL; absent means Twilio itself. */
  apiUrl?: string;
}

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/**
 * The e-mail channel's settings.
 * @param env - the environment (process.env by default)
 */
export function mailConfig(env: Env = process.env): ChannelConfig<MailSettings> {
  const smtpUrl = value(env, 'SMTP_URL');
  const from = value(env, 'MAIL_FROM');
  const missing: string[] = [];
  if (!smtpUrl) missing.push('SMTP_URL');
  else if (!/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) missing.push('SMTP_URL (expected smtp:// or smtps://)');
  if (!from) missing.push('MAIL_FROM');
  return smtpUrl && from && missing.length === 0 ? { configured: true, settings: { smtpUrl, from } } : { configured: false, missing };
}

/**
 * The SMS channel's settings.
 * @param env - the environment (process.env by default)
 */
export function smsConfig(env: Env = process.env): ChannelConfig<SmsSettings> {
  const accountSid = value(env, 'TWILIO_ACCOUNT_SID');
  const authToken = value(env, 'TWILIO_AUTH_TOKEN');
  const from = value(env, 'TWILIO_FROM');
  const apiUrl = value(env, 'TWILIO_API_URL');
  const missing: string[] = [];
  if (!accountSid) missing.push('TWILIO_ACCOUNT_SID');
  // The SDK throws on any other shape; better said here, once, than at every send.
  else if (!accountSid.startsWith('AC')) missing.push('TWILIO_ACCOUNT_SID (must start with AC)');
  if (!authToken) missing.push('TWILIO_AUTH_TOKEN');
  if (!from) missing.push('TWILIO_FROM');
  if (apiUrl && !/^https?:\/\/[^\s/]+\/?$/.test(apiUrl)) missing.push('TWILIO_API_URL (expected an origin, http[s]://host:port)');
  if (!accountSid || !authToken || !from || missing.length > 0) return { configured: false, missing };
  return { configured: true, settings: { accountSid, authToken, from, ...(apiUrl ? { apiUrl: apiUrl.replace(/\/$/, '') } : {}) } };
}

/**
 * The web app's origin for links in messages, or null (messages then carry the in-app path).
 * @param env - the environment (process.env by default)
 */
export function appUrl(env: Env = process.env): string | null {
  const v = value(env, 'APP_URL');
  return v && /^https?:\/\/[^\s]+$/.test(v) ? v.replace(/\/$/, '') : null;
}
