/**
 * A Twilio-compatible HTTP server for the local stack: it answers what the `twilio` SDK sends for
 * `client.messages.create/list/fetch` (form-encoded POST, Basic auth with the account SID and auth token, Twilio's
 * error JSON) and records every accepted message in memory and, with a data file, on disk. It sends nothing anywhere:
 * it is the honest stand-in for Twilio's REST API, so a send that "worked" locally is one the SDK really made.
 * GET /messages lists what arrived, for tests and for people (no auth: the stack listens on loopback only).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const API_VERSION = '2010-04-01';
/** Twilio refuses a body longer than this (error 21617). */
export const MAX_BODY_CHARS = 1600;
/** A request body larger than this is not a message: refused before it is parsed. */
const MAX_REQUEST_BYTES = 64 * 1024;
const E164 = /^\+[1-9][0-9]{1,14}$/;
/** An alphanumeric sender ID: up to 11 letters, digits and spaces, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
/** The GSM 03.38 basic set (one septet each) and its extension (two each); anything else makes a UCS-2 message. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** A Message resource as Twilio returns it (snake_case, strings for counts, RFC 2822 dates). */
export interface TwilioMessage {
  sid: string;
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api';
  error_code: number | null;
  error_message: string | null;
  from: string;
  to: string;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  status: 'queued';
  subresource_uris: { media: string };
  uri: string;
}

/** Twilio's error body. */
export interface TwilioError {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export interface TwilioServerOptions {
  host: string;
  /** 0 picks any free port. */
  port: number;
  /** The credentials the server accepts, as Twilio knows them for an account. */
  accountSid: string;
  authToken: string;
  /** A JSON-lines file that keeps the messages across restarts; absent keeps them in memory only. */
  dataFile?: string;
}

export interface RunningTwilioServer {
  /** The base URL the SDK is pointed at instead of https://api.twilio.com. */
  url: string;
  /** Every accepted message, oldest first. */
  messages(): TwilioMessage[];
  close(): Promise<void>;
}

function error(code: number, status: number, message: string): TwilioError {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Segments as a carrier counts them: 160/153 septets in GSM-7, 70/67 UTF-16 units otherwise. */
export function segmentCount(body: string): number {
  let septets = 0;
  let gsm = true;
  for (const ch of body) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

/** The first refusal Twilio would give these parameters, or null when it would accept them. */
export function validateMessage(params: URLSearchParams): TwilioError | null {
  const to = params.get('To');
  const from = params.get('From');
  const body = params.get('Body');
  if (!to) return error(21604, 400, "A 'To' phone number is required.");
  if (!E164.test(to)) return error(21211, 400, `The 'To' number ${to} is not a valid phone number.`);
  if (!from && !params.get('MessagingServiceSid')) return error(21603, 400, "A 'From' phone number is required.");
  if (from && !E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) {
    return error(21212, 400, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
  }
  if (from === to) return error(21266, 400, "'To' and 'From' number cannot be the same.");
  if (!body) return error(21602, 400, 'Message body is required.');
  if ([...body].length > MAX_BODY_CHARS) return error(21617, 400, `The concatenated message body exceeds the ${MAX_BODY_CHARS} character limit.`);
  return null;
}

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Whether the Basic credentials are the account's (compared in full, whatever their length). */
function authorized(header: string | undefined, accountSid: string, authToken: string): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded === `${accountSid}:${authToken}`;
}

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk));
    size += b.length;
    // Keep reading (and dropping) so the client gets the answer instead of a reset connection.
    if (size <= MAX_REQUEST_BYTES) chunks.push(b);
  }
  return size > MAX_REQUEST_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

function loadMessages(file: string | undefined): TwilioMessage[] {
  if (!file || !existsSync(file)) return [];
  const out: TwilioMessage[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    // A torn last line (a crash mid-append) is dropped; every line before it is a whole message.
    try {
      out.push(JSON.parse(line) as TwilioMessage);
    } catch {
      continue;
    }
  }
  return out;
}

/**
 * Starts the server.
 * @param opts - address, accepted credentials and where to keep the messages
 */
export async function startTwilioServer(opts: TwilioServerOptions): Promise<RunningTwilioServer> {
  if (!opts.accountSid.startsWith('AC')) throw new Error('A Twilio account SID starts with AC');
  if (opts.dataFile) mkdirSync(path.dirname(opts.dataFile), { recursive: true });
  const messages = loadMessages(opts.dataFile);
  const accountPath = `/${API_VERSION}/Accounts/${opts.accountSid}`;

  const record = (params: URLSearchParams): TwilioMessage => {
    const id = sid('SM');
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const m: TwilioMessage = {
      sid: id,
      account_sid: opts.accountSid,
      api_version: API_VERSION,
      body: params.get('Body') ?? '',
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: params.get('From') ?? '',
      to: params.get('To') ?? '',
      messaging_service_sid: params.get('MessagingServiceSid'),
      num_media: '0',
      num_segments: String(segmentCount(params.get('Body') ?? '')),
      price: null,
      price_unit: 'USD',
      status: 'queued',
      subresource_uris: { media: `${accountPath}/Messages/${id}/Media.json` },
      uri: `${accountPath}/Messages/${id}.json`,
    };
    // On disk before the answer: a message the SDK was told about is never lost by a restart.
    if (opts.dataFile) appendFileSync(opts.dataFile, `${JSON.stringify(m)}\n`);
    messages.push(m);
    return m;
  };

  const list = (url: URL, base: string): unknown => {
    const to = url.searchParams.get('To');
    const from = url.searchParams.get('From');
    const pageSize = Math.min(Math.max(Number(url.searchParams.get('PageSize') ?? 50) || 50, 1), 1000);
    // Twilio lists the newest first.
    const matching = messages.filter((m) => (!to || m.to === to) && (!from || m.from === from)).reverse().slice(0, pageSize);
    const uri = `${base}?PageSize=${pageSize}&Page=0`;
    return {
      messages: matching,
      end: Math.max(matching.length - 1, 0),
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri,
    };
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://local');
    } catch {
      // A request target the URL parser refuses is a bad request (Twilio answers 400 to what it cannot route).
      send(res, 400, error(20001, 400, 'Malformed request URL'));
      return;
    }
    const route = url.pathname;
    if (req.method === 'GET' && (route === '/messages' || route === '/')) {
      send(res, 200, { account_sid: opts.accountSid, count: messages.length, messages: [...messages].reverse() });
      return;
    }
    const account = /^\/2010-04-01\/Accounts\/([^/]+)(\/.*)$/.exec(route);
    if (!account) {
      send(res, 404, error(20404, 404, `The requested resource ${route} was not found`));
      return;
    }
    // Another account's resources are refused like wrong credentials: the token only opens its own account.
    if (!authorized(req.headers.authorization, opts.accountSid, opts.authToken) || account[1] !== opts.accountSid) {
      res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      send(res, 401, error(20003, 401, 'Authenticate'));
      return;
    }
    const rest = account[2] ?? '';
    if (rest === '/Messages.json' && req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      const raw = await readBody(req);
      if (raw === null) {
        send(res, 413, error(21617, 413, `The request body exceeds ${MAX_REQUEST_BYTES} bytes.`));
        return;
      }
      if (type !== 'application/x-www-form-urlencoded') {
        send(res, 400, error(20001, 400, 'Expected an application/x-www-form-urlencoded body.'));
        return;
      }
      const params = new URLSearchParams(raw);
      const refused = validateMessage(params);
      if (refused) {
        send(res, refused.status, refused);
        return;
      }
      send(res, 201, record(params));
      return;
    }
    if (rest === '/Messages.json' && req.method === 'GET') {
      send(res, 200, list(url, `${accountPath}/Messages.json`));
      return;
    }
    const one = /^\/Messages\/(SM[0-9a-f]{32})\.json$/.exec(rest);
    if (one && req.method === 'GET') {
      const m = messages.find((x) => x.sid === one[1]);
      if (m) send(res, 200, m);
      else send(res, 404, error(20404, 404, `The requested resource ${route} was not found`));
      return;
    }
    send(res, rest === '/Messages.json' ? 405 : 404, error(20404, rest === '/Messages.json' ? 405 : 404, `The requested resource ${route} was not found`));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A bug of this server, not the caller's fault: answer as Twilio does for its own errors, and say why.
      console.error('twilio test server:', e);
      if (!res.headersSent) send(res, 500, error(20500, 500, 'Internal Server Error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    messages: () => [...messages],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
