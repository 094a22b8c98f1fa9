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

/**
 * What WebChannel sessions may hold. A session keeps every array its client has not acknowledged (each target's
 * initial results included), so sessions, and the bytes each one keeps, are bounded per client and in total. An honest
 * browser tab holds two sessions (Listen and Write), connects its backchannel within milliseconds of the handshake and
 * acknowledges what it received each time it reconnects the backchannel, which the server prompts every
 * `rotateBytes`; none of these limits is reached by it.
 */
export interface ChannelLimits {
  /**
   * Open sessions of one client: a signed-in user, or every anonymous caller of one address, which on loopback is
   * every signed-out tab (default 32, so 16 tabs).
   */
  sessionsPerClient: number;
  /** Open sessions of all clients together (default 256). */
  sessionsTotal: number;
  /** Unacknowledged bytes one session may keep; past it the session is closed like a slow consumer (default 32 MiB). */
  outboxBytesPerSession: number;
  /** Unacknowledged bytes of all sessions together; past it the session keeping the most is closed (default 96 MiB). */
  outboxBytesTotal: number;
  /** A streaming backchannel is ended after writing this much, so the client reconnects and acknowledges (1 MiB). */
  rotateBytes: number;
  /** A session whose backchannel has not connected this long after the handshake is closed (default 15 s). */
  connectMs: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = {
  sessionsPerClient: 32,
  sessionsTotal: 256,
  outboxBytesPerSession: 32 * MiB,
  outboxBytesTotal: 96 * MiB,
  rotateBytes: MiB,
  connectMs: 15_000,
};

/** What the WebChannel sessions hold right now. */
export interface WebChannelStats {
  sessions: number;
  /** Listen targets active on the sessions' streams. */
  targets: number;
  /** Bytes of arrays kept until their clients acknowledge them. */
  outboxBytes: number;
}

/** How a session reports what it keeps, and asks to be ended with an error. */
interface SessionHost {
  limits: ChannelLimits;
  /** The session's outbox grew (or shrank) by `delta` bytes. */
  held(s: ChannelSession, delta: number): void;
  closed(s: ChannelSession, error: FirestoreError | undefined): void;
}

/** A batch of encoded arrays as one frame; the prefix counts JavaScript string length (UTF-16 units), as the client slices. */
function frameOf(arrays: readonly string[]): string {
  const json = `[${arrays.join(',')}]`;
  return `${json.length}\n${json}`;
}

function frame(payload: unknown): string {
  const json = encode(payload);
  return `${json.length}\n${json}`;
}

interface OutboxEntry {
  id: number;
  /** The array `[id,[payload]]`, encoded once when queued, so what is kept is counted exactly. */
  json: string;
  bytes: number;
}

class ChannelSession {
  readonly sid = randomBytes(12).toString('hex');
  /** Arrays not yet acknowledged by the client (AID), in id order. */
  private outbox: OutboxEntry[] = [];
  private outboxBytes = 0;
  private nextArrayId = 1;
  private lastMapId = -1;
  private back: { res: http.ServerResponse; streaming: boolean; sentUpTo: number; written: number } | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  /** Closes the session unless its backchannel connects in time (a handshake alone must not hold anything for long). */
  private connectTimer: NodeJS.Timeout | undefined;
  lastActivity = Date.now();
  private listen: ListenSession | undefined;
  private writer: WriteSession | undefined;
  private writeChain: Promise<void> = Promise.resolve();
  closed = false;

  constructor(
    readonly kind: Kind,
    readonly ctx: RequestContext,
    readonly database: string,
    /** Whose session budget this counts against (see clientKey). */
    readonly client: string,
    private readonly engine: Engine,
    private readonly host: SessionHost,
  ) {
    this.connectTimer = setTimeout(() => this.close(), host.limits.connectMs);
    this.connectTimer.unref();
  }

  get heldBytes(): number {
    return this.outboxBytes;
  }

  get targetCount(): number {
    return this.listen?.targetCount ?? 0;
  }

  /** Queues one payload for the client and flushes it if a backchannel is attached. */
  push(payload: unknown): void {
    if (this.closed) return;
    const id = this.nextArrayId++;
    const json = encode([id, [payload]]);
    const bytes = Buffer.byteLength(json);
    this.outbox.push({ id, json, bytes });
    this.outboxBytes += bytes;
    this.host.held(this, bytes);
    if (this.closed) return;
    if (this.outboxBytes > this.host.limits.outboxBytesPerSession) {
      this.fail(
        new FirestoreError(
          Code.RESOURCE_EXHAUSTED,
          `This WebChannel session kept more than ${this.host.limits.outboxBytesPerSession} bytes its client did not acknowledge, and was closed`,
        ),
      );
      return;
    }
    this.flush();
  }

  private flush(): void {
    const b = this.back;
    if (!b) return;
    const fresh = this.outbox.filter((e) => e.id > b.sentUpTo);
    if (!fresh.length) return;
    const text = frameOf(fresh.map((e) => e.json));
    b.res.write(text);
    b.written += text.length;
    b.sentUpTo = fresh[fresh.length - 1]?.id ?? b.sentUpTo;
    // In streaming mode the arrays stay in the outbox until the client's AID acknowledges them. The client sends its
    // AID when it opens a backchannel, and opens a new one at once when the server ends one, so a streaming
    // backchannel that has carried enough is ended: an honest listener's outbox never grows without bound.
    if (!b.streaming || b.written >= this.host.limits.rotateBytes) this.detach(true);
  }

  private detach(end: boolean): void {
    const b = this.back;
    this.back = undefined;
    clearInterval(this.keepalive);
    if (end && b && !b.res.writableEnded) b.res.end();
  }

  ack(aid: number): void {
    if (!Number.isFinite(aid)) return;
    let freed = 0;
    let n = 0;
    for (const e of this.outbox) {
      if (e.id > aid) break;
      freed += e.bytes;
      n++;
    }
    if (!n) return;
    this.outbox = this.outbox.slice(n);
    this.outboxBytes -= freed;
    this.host.held(this, -freed);
  }

  /** A GET backchannel: CI=0 streams and stays open, CI=1 answers one batch and ends. */
  attachBackchannel(res: http.ServerResponse, streaming: boolean): void {
    this.lastActivity = Date.now();
    clearTimeout(this.connectTimer);
    this.detach(true);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
    // Everything not acknowledged is sent again on a new backchannel.
    this.back = { res, streaming, sentUpTo: 0, written: 0 };
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

  /**
   * Ends the session with an error the client is told of: on the backchannel if one is attached (the SDK fails the
   * stream with its code), else on the next request naming this session.
   */
  fail(error: FirestoreError): void {
    if (this.closed) return;
    const b = this.back;
    if (b && !b.res.writableEnded) b.res.write(frame([[this.nextArrayId++, [{ error: error.toStatus() }]]]));
    this.end(b ? undefined : error);
  }

  close(): void {
    this.end(undefined);
  }

  private end(error: FirestoreError | undefined): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.connectTimer);
    // The stream's targets leave the engine's index with it: nothing is evaluated or kept for them any more.
    this.listen?.close();
    this.detach(true);
    const freed = this.outboxBytes;
    this.outbox = [];
    this.outboxBytes = 0;
    if (freed) this.host.held(this, -freed);
    this.host.closed(this, error);
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

/**
 * Whose session budget a request counts against: the signed-in user, or every anonymous caller of one address.
 * @param ctx - the caller
 * @param remoteAddress - the socket's peer address
 */
export function clientKey(ctx: RequestContext, remoteAddress: string | undefined): string {
  if (ctx.admin) return 'admin';
  if (ctx.auth) return `uid:${ctx.auth.uid}`;
  return `anonymous:${remoteAddress ?? 'unknown'}`;
}

/** How many closed sessions' errors are kept for their clients' next request (oldest forgotten first). */
const MAX_TOMBSTONES = 1024;

export class WebChannelServer {
  private readonly sessions = new Map<string, ChannelSession>();
  private readonly perClient = new Map<string, number>();
  /** Sessions the server ended with an error, by id: the client's next request hears the error once. */
  private readonly tombstones = new Map<string, { error: FirestoreError; nextArrayId: number }>();
  private outboxBytes = 0;
  private readonly sweeper: NodeJS.Timeout;
  private readonly limits: ChannelLimits;
  private readonly host: SessionHost;

  constructor(
    private readonly engine: Engine,
    limits: Partial<ChannelLimits> = {},
  ) {
    this.limits = { ...DEFAULT_CHANNEL_LIMITS, ...limits };
    this.host = {
      limits: this.limits,
      held: (s, delta) => this.held(s, delta),
      closed: (s, error) => this.forget(s, error),
    };
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const s of this.sessions.values()) if (!s.hasBackchannel && now - s.lastActivity > IDLE_SESSION_MS) s.close();
    }, 30_000);
    this.sweeper.unref();
  }

  /** How many sessions, listen targets and unacknowledged bytes the WebChannel transport holds now. */
  stats(): WebChannelStats {
    let targets = 0;
    for (const s of this.sessions.values()) targets += s.targetCount;
    return { sessions: this.sessions.size, targets, outboxBytes: this.outboxBytes };
  }

  /** Keeps the total of unacknowledged bytes; past its limit the session keeping the most is closed, as a slow consumer. */
  private held(_s: ChannelSession, delta: number): void {
    this.outboxBytes += delta;
    while (this.outboxBytes > this.limits.outboxBytesTotal) {
      let largest: ChannelSession | undefined;
      for (const s of this.sessions.values()) if (!largest || s.heldBytes > largest.heldBytes) largest = s;
      if (!largest || largest.heldBytes === 0) return;
      largest.fail(
        new FirestoreError(
          Code.RESOURCE_EXHAUSTED,
          `The emulator's WebChannel sessions kept more than ${this.limits.outboxBytesTotal} unacknowledged bytes; this session kept the most and was closed`,
        ),
      );
    }
  }

  private forget(s: ChannelSession, error: FirestoreError | undefined): void {
    if (this.sessions.get(s.sid) !== s) return;
    this.sessions.delete(s.sid);
    const n = (this.perClient.get(s.client) ?? 1) - 1;
    if (n > 0) this.perClient.set(s.client, n);
    else this.perClient.delete(s.client);
    if (error) {
      this.tombstones.set(s.sid, { error, nextArrayId: s.lastArrayId + 1 });
      for (const sid of this.tombstones.keys()) {
        if (this.tombstones.size <= MAX_TOMBSTONES) break;
        this.tombstones.delete(sid);
      }
    }
  }

  /** Handles `/google.firestore.v1.Firestore/{Listen|Write}/channel`. */
  async handle(kind: Kind, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const sid = q.get('SID');
    if (q.get('TYPE') === 'terminate') {
      if (sid) {
        this.sessions.get(sid)?.close();
        this.tombstones.delete(sid);
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end();
      return;
    }
    if (!sid) return this.handshake(kind, req, res, url);
    const session = this.sessions.get(sid);
    const tomb = this.tombstones.get(sid);
    if (!session && tomb) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      if (req.method !== 'GET') {
        // "No backchannel": the client opens one, and hears the error there.
        res.end(frame([0, tomb.nextArrayId - 1, 0]));
        return;
      }
      // Told once, as the SDK reads a stream error (a payload's `error`); then the session is unknown like any other.
      // The array id must be above what the client has seen, or it would drop the array as a repeat.
      this.tombstones.delete(sid);
      const aid = Number(q.get('AID'));
      const id = Math.max(tomb.nextArrayId, Number.isSafeInteger(aid) ? aid + 1 : 0);
      res.end(frame([[id, [{ error: tomb.error.toStatus() }]]]));
      return;
    }
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

  /**
   * Opens a session once its client and the server have room for one.
   * @throws FirestoreError RESOURCE_EXHAUSTED (429) when they have not: the SDK backs off and retries the handshake
   */
  private async handshake(kind: Kind, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const { headers, maps } = parseForward(await readBody(req));
    const h = parseHeaderBlock(headers);
    const ctx = contextFromAuthorization(h.authorization ?? req.headers.authorization);
    const database = url.searchParams.get('database') ?? '';
    const client = clientKey(ctx, req.socket.remoteAddress);
    if ((this.perClient.get(client) ?? 0) >= this.limits.sessionsPerClient)
      throw new FirestoreError(
        Code.RESOURCE_EXHAUSTED,
        `At most ${this.limits.sessionsPerClient} WebChannel sessions may be open per client; terminate one before opening another`,
      );
    if (this.sessions.size >= this.limits.sessionsTotal)
      throw new FirestoreError(Code.RESOURCE_EXHAUSTED, `The emulator holds its maximum of ${this.limits.sessionsTotal} WebChannel sessions`);
    const session = new ChannelSession(kind, ctx, database, client, this.engine, this.host);
    this.sessions.set(session.sid, session);
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    try {
      session.receive(maps);
    } catch (e) {
      session.close();
      throw e;
    }
    const ended = this.tombstones.get(session.sid);
    if (session.closed && ended) {
      this.tombstones.delete(session.sid);
      throw ended.error;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-HTTP-Session-Id': session.sid });
    res.end(frame([[0, ['c', session.sid, '', 8, 14, 30000]]]));
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const s of [...this.sessions.values()]) s.close();
  }
}
