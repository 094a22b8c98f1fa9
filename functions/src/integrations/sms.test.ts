/**
 * The SMS channel against the local Twilio-compatible server (scripts/local-services/twilio-server.ts), both through
 * the real `twilio` SDK: what the SDK sends is accepted, recorded and kept on disk; what Twilio refuses (wrong
 * credentials, another account, bad numbers, an empty or over-long body) is refused with Twilio's error JSON, which
 * the SDK turns into its RestException and our sender into a permanent SendError.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGetStatus } from '../../../emulator/test/support/raw-http';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { startTwilioServer, type RunningTwilioServer, type TwilioMessage } from '../../../scripts/local-services/twilio-server';
import { smsConfig } from '../config';
import { SendError } from './send-error';
import { smsSender } from './sms';

const SID = `AC${'1'.repeat(32)}`;
const TOKEN = 'local-token-of-the-test';
const FROM = '+15550100001';
let server: RunningTwilioServer;
let dataFile: string;

function sdk(token = TOKEN, sid = SID): twilio.Twilio {
  const origin = server.url;
  class Local extends twilio.RequestClient {
    override request<T>(opts: RequestClient.RequestOptions<T>) {
      const u = new URL(opts.uri);
      return super.request<T>({ ...opts, uri: `${origin}${u.pathname}${u.search}` });
    }
  }
  return twilio(sid, token, { httpClient: new Local() });
}

async function refusal(p: Promise<unknown>): Promise<{ status: unknown; code: unknown; moreInfo: unknown }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof twilio.RestException) return { status: e.status, code: e.code, moreInfo: e.moreInfo };
    throw e;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  dataFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'twilio-server-')), 'sms', 'messages.jsonl');
  server = await startTwilioServer({ host: '127.0.0.1', port: 0, accountSid: SID, authToken: TOKEN, dataFile });
});

afterAll(async () => {
  await server?.close();
});

describe('the local Twilio server, through the twilio SDK', () => {
  it('accepts messages.create and answers a queued Message resource, recorded in memory and on disk', async () => {
    const m = await sdk().messages.create({ to: '+573005550101', from: FROM, body: 'Cita el martes a las 10:00' });
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(m).toMatchObject({ accountSid: SID, to: '+573005550101', from: FROM, body: 'Cita el martes a las 10:00', status: 'queued', numSegments: '1', direction: 'outbound-api' });
    const recorded = server.messages().find((x) => x.sid === m.sid);
    expect(recorded?.body).toBe('Cita el martes a las 10:00');
    const onDisk = readFileSync(dataFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TwilioMessage);
    expect(onDisk.map((x) => x.sid)).toContain(m.sid);
  });

  it('lists and fetches through the standard endpoints, and GET /messages lists for people and tests', async () => {
    const m = await sdk().messages.create({ to: '+34600555105', from: FROM, body: 'Hola' });
    const listed = await sdk().messages.list({ to: '+34600555105' });
    expect(listed.map((x) => x.sid)).toContain(m.sid);
    expect((await sdk().messages(m.sid).fetch()).body).toBe('Hola');
    const plain = (await (await fetch(`${server.url}/messages`)).json()) as { messages: TwilioMessage[] };
    expect(plain.messages.map((x) => x.sid)).toContain(m.sid);
  });

  it.each([
    ['a wrong auth token', () => sdk('not-the-token').messages.create({ to: '+573005550101', from: FROM, body: 'x' }), 401, 20003],
    ['another account', () => sdk(TOKEN, `AC${'2'.repeat(32)}`).messages.create({ to: '+573005550101', from: FROM, body: 'x' }), 401, 20003],
    ['a To that is not E.164', () => sdk().messages.create({ to: '300 555 0101', from: FROM, body: 'x' }), 400, 21211],
    ['a From that is no number or sender id', () => sdk().messages.create({ to: '+573005550101', from: '+1-not', body: 'x' }), 400, 21212],
    ['To equal to From', () => sdk().messages.create({ to: FROM, from: FROM, body: 'x' }), 400, 21266],
    ['an empty body', () => sdk().messages.create({ to: '+573005550101', from: FROM, body: '' }), 400, 21602],
    ['a body over 1600 characters', () => sdk().messages.create({ to: '+573005550101', from: FROM, body: 'á'.repeat(1601) }), 400, 21617],
  ] as const)('refuses %s with Twilio’s error JSON, recording nothing', async (_name, send, status, code) => {
    const before = server.messages().length;
    expect(await refusal(send())).toEqual({ status, code, moreInfo: `https://www.twilio.com/docs/errors/${code}` });
    expect(server.messages()).toHaveLength(before);
  });

  it('counts segments as carriers do: GSM-7 160/153, UCS-2 70/67', async () => {
    const c = sdk();
    const seg = async (body: string) => (await c.messages.create({ to: '+573005550101', from: FROM, body })).numSegments;
    expect(await seg('a'.repeat(160))).toBe('1');
    expect(await seg('a'.repeat(161))).toBe('2');
    expect(await seg('ñ'.repeat(160))).toBe('1');
    expect(await seg('😀'.repeat(35))).toBe('1');
    expect(await seg('ç'.repeat(71))).toBe('2');
  });
});

describe('smsSender', () => {
  it('sends through the SDK to the configured origin and answers the message SID', async () => {
    const config = smsConfig({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: FROM, TWILIO_API_URL: server.url });
    if (!config.configured) throw new Error(`not configured: ${config.missing.join(', ')}`);
    const { providerId } = await smsSender(config.settings).send({ to: '+56955550104', body: 'Recordatorio' });
    expect(server.messages().find((m) => m.sid === providerId)).toMatchObject({ to: '+56955550104', from: FROM, body: 'Recordatorio' });
  });

  it('turns a refusal into a permanent SendError with Twilio’s code, and no answer into a transient one', async () => {
    const sender = smsSender({ accountSid: SID, authToken: 'wrong', from: FROM, apiUrl: server.url });
    const e = await sender.send({ to: '+56955550104', body: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SendError);
    expect(e).toMatchObject({ code: 'twilio-20003', permanent: true });
    // A port nothing listens on: connection refused.
    const gone = await startTwilioServer({ host: '127.0.0.1', port: 0, accountSid: SID, authToken: TOKEN });
    await gone.close();
    const down = await smsSender({ accountSid: SID, authToken: TOKEN, from: FROM, apiUrl: gone.url }).send({ to: '+56955550104', body: 'x' }).catch((x: unknown) => x);
    expect(down).toMatchObject({ permanent: false });
  });

  it('is not configured without its variables, naming what is missing', () => {
    expect(smsConfig({})).toEqual({ configured: false, missing: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] });
    expect(smsConfig({ TWILIO_ACCOUNT_SID: 'SK123', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: FROM })).toEqual({ configured: false, missing: ['TWILIO_ACCOUNT_SID (must start with AC)'] });
  });
});

describe('the Twilio test server and request targets the URL parser refuses', () => {
  it.each(['//x:99999/', 'http://['])('GET %s is a 400 in Twilio error form, not a 500', async (target) => {
    expect(await rawGetStatus(server.url, target)).toBe(400);
    expect((await fetch(`${server.url}/messages`)).status).toBe(200);
  });
});
