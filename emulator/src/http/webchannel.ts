/**
 * The WebChannel (BrowserChannel VER=8) transport of the browser SDK's Listen and Write streams.
 * See ../shared/notes/firestore-webchannel.md for the observed protocol this implements: a handshake that carries
 * the first stream message, a forward channel of form-encoded maps, a backchannel of `<length>\n<json>` frames
 * holding numbered arrays, acknowledged by the client's AID.
 */
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Code, FirestoreError, type Engine, type ListenResponse, type ListenSession, type RequestContext, type Target, type WriteSession } from '../firestore/types';
import { checkListenRequest } from '../firestore/validate';
import { contextFromAuthorization } from '../auth';
import { asFirestoreError, decodeObject, encode, readBody } from './codec';

type Kind = 'Listen' | 'Write';

interface StreamMessage {
  database?: string;
  addTarget?: Target;
  removeTarget?: number;
  labels?: Record<string, string>;
  streamToken?: string;
  writes?: [];
}

const KEEPALIVE_MS = 25_000;
const IDLE_SESSION_MS = 120_000;

function frame(payload: unknown): string {
  const json = encode(payload);
  // The client slices by JavaScript string length (UTF-16 units), so that is what the prefix counts.
  return `${json.length}\n${json}`;
}

class ChannelSession {
  readonly sid = randomBytes(12).toString('hex');
  /** Arrays not yet acknowledged by the client (AID), in id order. */
  private outbox: [number, unknown[]][] = [];
  private nextArrayId = 1;
  private lastMapId = -1;
  private back: { res: http.ServerResponse; streaming: boolean; sentUpTo: number } | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  lastActivity = Date.now();
  private listen: ListenSession | undefined;
  private writer: WriteSession | undefined;
  private writeChain: Promise<void> = Promise.resolve();
  closed = false;

  constructor(
    readonly kind: Kind,
    readonly ctx: RequestContext,
    readonly database: string,
    private readonly engine: Engine,
    private readonly onClose: (s: ChannelSession) => void,
  ) {}

  /** Queues one payload for the client and flushes it if a backchannel is attached. */
  push(payload: unknown): void {
    if (this.closed) return;
    this.outbox.push([this.nextArrayId++, [payload]]);
    this.flush();
  }

  private flush(): void {
    const b = this.back;
    if (!b) return;
    const fresh = this.outbox.filter(([id]) => id > b.sentUpTo);
    if (!fresh.length) return;
    b.res.write(frame(fresh));
    b.sentUpTo = fresh[fresh.length - 1]?.[0] ?? b.sentUpTo;
    if (!b.streaming) this.detach(true);
    // In streaming mode the arrays stay in the outbox until the client's AID acknowledges them.
  }

  private detach(end: boolean): void {
    const b = this.back;
    this.back = undefined;
    clearInterval(this.keepalive);
    if (end && b && !b.res.writableEnded) b.res.end();
  }

  ack(aid: number): void {
    if (!Number.isFinite(aid)) return;
    while (this.outbox.length && (this.outbox[0]?.[0] ?? Infinity) <= aid) this.outbox.shift();
  }

  /** A GET backchannel: CI=0 streams and stays open, CI=1 answers one batch and ends. */
  attachBackchannel(res: http.ServerResponse, streaming: boolean): void {
    this.lastActivity = Date.now();
    this.detach(true);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
    // Everything not acknowledged is sent again on a new backchannel.
    this.back = { res, streaming, sentUpTo: 0 };
    res.on('close', () => {
      if (this.back?.res === res) this.detach(false);
    });
    if (this.outbox.length) {
      this.flush();
    } else if (streaming) {
      // A byte at once, or the SDK's buffering-proxy detection flips the session to long polling.
      this.push(['noop']);
    }
    if (this.back?.res === res) {
      this.keepalive = setInterval(() => this.push(['noop']), KEEPALIVE_MS);
    }
  }

  get lastArrayId(): number {
    return this.nextArrayId - 1;
  }

  get hasBackchannel(): boolean {
    return this.back !== undefined;
  }

  /** Forward-channel maps, deduplicated by their ids (the client retries). */
  receive(maps: { id: number; data: string }[]): void {
    this.lastActivity = Date.now();
    for (const m of maps) {
      if (m.id <= this.lastMapId) continue;
      this.lastMapId = m.id;
      this.handle(decodeObject<StreamMessage>(m.data, 'A stream message'));
    }
  }

  private handle(msg: StreamMessage): void {
    if (this.kind === 'Listen') {
      checkListenRequest(msg);
      this.listen ??= this.engine.listen(this.ctx, this.database, (r: ListenResponse) => this.push(r));
      if (msg.addTarget) this.listen.addTarget(msg.addTarget);
      if (typeof msg.removeTarget === 'number') this.listen.removeTarget(msg.removeTarget);
      return;
    }
    if (!this.writer) {
      this.writer = this.engine.openWriteStream(this.ctx, this.database);
      this.push({ streamId: this.writer.streamId, streamToken: Buffer.from('0').toString('base64') });
      if (!msg.writes) return;
    }
    const writer = this.writer;
    // Writes of one stream are committed strictly in order.
    this.writeChain = this.writeChain.then(async () => {
      try {
        const r = await writer.write({ writes: msg.writes ?? [] });
        this.push(r);
      } catch (e) {
        this.push({ error: asFirestoreError(e).toStatus() });
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listen?.close();
    this.detach(true);
    this.onClose(this);
  }
}

/** The most maps the WebChannel client sends in one forward request (its MAX_MAPS_PER_REQUEST). */
export const MAX_MAPS_PER_REQUEST = 1000;
const MAP_KEY = /^req(\d+)___data__$/;

/** A non-negative integer form field, or the default when absent; anything else is INVALID_ARGUMENT (400). */
function formInteger(form: URLSearchParams, key: string, max: number): number {
  const raw = form.get(key);
  if (raw === null) return 0;
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n <= max)) throw new FirestoreError(Code.INVALID_ARGUMENT, `WebChannel ${key} must be an integer from 0 to ${max}`);
  return n;
}

/**
 * Parses `count=..&ofs=..&req0___data__=..` into maps with their ids. The work is bounded by the fields the body
 * holds, never by what `count` claims (a tiny body claiming 10⁸ maps once looped the event loop for seconds), and a
 * `count` beyond what a client sends is refused.
 */
export function parseForward(body: string): { headers: string | undefined; maps: { id: number; data: string }[] } {
  const form = new URLSearchParams(body);
  const count = formInteger(form, 'count', MAX_MAPS_PER_REQUEST);
  const ofs = formInteger(form, 'ofs', Number.MAX_SAFE_INTEGER - MAX_MAPS_PER_REQUEST);
  const byIndex = new Map<number, string>();
  for (const [key, data] of form) {
    const m = MAP_KEY.exec(key);
    if (!m) continue;
    const i = Number(m[1]);
    if (i < count && !byIndex.has(i)) byIndex.set(i, data);
  }
  const maps = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([i, data]) => ({ id: ofs + i, data }));
  return { headers: form.get('headers') ?? undefined, maps };
}

/** The `headers=` field: CRLF-separated `Name:Value` lines the SDK sends instead of real headers. */
function parseHeaderBlock(block: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (block ?? '').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

export class WebChannelServer {
  private readonly sessions = new Map<string, ChannelSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly engine: Engine) {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const s of this.sessions.values()) if (!s.hasBackchannel && now - s.lastActivity > IDLE_SESSION_MS) s.close();
    }, 30_000);
    this.sweeper.unref();
  }

  /** Handles `/google.firestore.v1.Firestore/{Listen|Write}/channel`. */
  async handle(kind: Kind, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const sid = q.get('SID');
    if (q.get('TYPE') === 'terminate') {
      if (sid) this.sessions.get(sid)?.close();
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end();
      return;
    }
    if (!sid) return this.handshake(kind, req, res, url);
    const session = this.sessions.get(sid);
    if (!session || session.kind !== kind) {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('Unknown SID');
      return;
    }
    session.ack(Number(q.get('AID') ?? '-1'));
    if (req.method === 'GET') {
      session.attachBackchannel(res, q.get('CI') !== '1');
      return;
    }
    const { maps } = parseForward(await readBody(req));
    try {
      session.receive(maps);
    } catch (e) {
      session.push({ error: asFirestoreError(e).toStatus() });
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(frame([session.hasBackchannel ? 1 : 0, session.lastArrayId, 0]));
  }

  private async handshake(kind: Kind, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const { headers, maps } = parseForward(await readBody(req));
    const h = parseHeaderBlock(headers);
    const ctx = contextFromAuthorization(h.authorization ?? req.headers.authorization);
    const database = url.searchParams.get('database') ?? '';
    const session = new ChannelSession(kind, ctx, database, this.engine, (s) => this.sessions.delete(s.sid));
    this.sessions.set(session.sid, session);
    try {
      session.receive(maps);
    } catch (e) {
      session.close();
      throw e;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-HTTP-Session-Id': session.sid });
    res.end(frame([[0, ['c', session.sid, '', 8, 14, 30000]]]));
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const s of [...this.sessions.values()]) s.close();
  }
}
