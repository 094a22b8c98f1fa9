/**
 * Resumable upload sessions, shared by the Firebase API (X-Goog-Upload-* protocol) and the GCS JSON API
 * (`uploadType=resumable`, Content-Range chunks). A session gathers the chunks of one object and writes it through
 * the service when finalized.
 */
import { randomUUID } from 'node:crypto';
import { checkName, errorBody, MAX_OBJECT_BYTES, StorageHttpError, type StorageRequestContext } from './common';
import type { Api, StorageService } from './service';
import type { ObjectMetadataInput, StoredObjectMetadata } from './store';

/**
 * Resumable sessions hold their bytes in memory until finalized, so what they may hold is bounded, per client and in
 * total. The rules judge a client's session when it starts, from the size it declares, and the session then never
 * holds more than that: a client the rules refuse holds nothing at all.
 */
export interface UploadLimits {
  /** Unfinished sessions idle this long are forgotten, with their bytes (default 10 minutes). */
  idleMs: number;
  /** Active sessions per client (default 8). */
  sessionsPerClient: number;
  /** Bytes declared by (or received in) a client's active sessions (default 256 MiB, one object at the limit). */
  bytesPerClient: number;
  /** Active sessions of all clients together (default 64). */
  sessionsTotal: number;
  /** Bytes of all active sessions together (default 512 MiB). */
  bytesTotal: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  idleMs: 10 * 60 * 1000,
  sessionsPerClient: 8,
  bytesPerClient: MAX_OBJECT_BYTES,
  sessionsTotal: 64,
  bytesTotal: 2 * MAX_OBJECT_BYTES,
};

/** One resumable upload. */
export interface UploadSession {
  id: string;
  api: Api;
  bucket: string;
  name: string;
  input: ObjectMetadataInput;
  /** The identity that started the upload: the upload URL is a capability of its starter, as in production. */
  ctx: StorageRequestContext;
  /** Whose budget the session counts against: the user, every anonymous caller of one address, or the admin. */
  client: string;
  /** The object's size as declared at start, never exceeded; undefined only for admin uploads of unknown size. */
  declared: number | undefined;
  chunks: Buffer[];
  received: number;
  status: 'active' | 'final' | 'cancelled';
  touched: number;
  /** The finalize answer, replayed when the client finalizes again after losing the first answer. */
  result?: { status: number; body: unknown };
}

/** What a session counts against the budgets: what it declared, or what it received when it declared nothing. */
function held(s: UploadSession): number {
  return s.status === 'active' ? Math.max(s.declared ?? 0, s.received) : 0;
}

/**
 * The budget a request counts against: the signed-in user, or (anonymous) the address it comes from.
 * @param ctx - the caller
 * @param remoteAddress - the socket's peer address
 */
export function clientOf(ctx: StorageRequestContext, remoteAddress: string | undefined): string {
  if (ctx.admin) return 'admin';
  if (ctx.auth) return `uid:${ctx.auth.uid}`;
  return `anonymous:${remoteAddress ?? 'unknown'}`;
}

/** What a session is started with besides its object. */
export interface SessionStart {
  /** The declared object size (X-Goog-Upload-Header-Content-Length, X-Upload-Content-Length); needed from clients. */
  declared: number | undefined;
  /** From clientOf(). */
  client: string;
}

/** The open resumable uploads of one emulator. */
export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();
  private readonly limits: UploadLimits;

  constructor(
    private readonly service: StorageService,
    limits: Partial<UploadLimits> = {},
  ) {
    this.limits = { ...DEFAULT_UPLOAD_LIMITS, ...limits };
  }

  /**
   * Opens a session once the rules allow the object it declares (judged for non-admin callers before anything is
   * held) and the client and the emulator have room for it.
   * @param api - which API started it (decides how the object is written)
   * @param ctx - the starter's identity, used again when the object is written
   * @param bucket - bucket name
   * @param name - object name
   * @param input - metadata sent at start
   * @param start - the declared size and the client's budget
   * @throws StorageHttpError 400 (no declared size from a client), 403 (rules), 413 (too large), 429 (no room)
   */
  async start(
    api: Api,
    ctx: StorageRequestContext,
    bucket: string,
    name: string,
    input: ObjectMetadataInput,
    start: SessionStart,
  ): Promise<UploadSession> {
    checkName(name);
    const { declared, client } = start;
    if (declared === undefined && !ctx.admin)
      throw new StorageHttpError(
        400,
        'A resumable upload must declare its size at start (X-Goog-Upload-Header-Content-Length), as the web SDK does',
      );
    if (declared !== undefined && declared > MAX_OBJECT_BYTES)
      throw new StorageHttpError(413, `Objects are limited to ${MAX_OBJECT_BYTES} bytes in the emulator`);
    // Rules first: a refused client holds nothing, not even a place in the budgets.
    if (!ctx.admin) await this.service.authorizeUpload(ctx, api, bucket, name, input, declared ?? 0);
    this.sweep();
    this.reserve(client, ctx.admin, declared ?? 0, 1);
    const session: UploadSession = {
      id: randomUUID(),
      api,
      bucket,
      name,
      input,
      ctx,
      client,
      declared,
      chunks: [],
      received: 0,
      status: 'active',
      touched: Date.now(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Forgets sessions idle past the limit, releasing what they held. */
  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) {
      if (now - s.touched <= this.limits.idleMs) continue;
      this.sessions.delete(id);
      if (s.status === 'active') this.service.log?.('storage-upload-expired', { uploadId: id, received: s.received });
    }
  }

  /**
   * Throws 429 unless `bytes` more (and `sessions` more) fit in the client's budget and the total; admin counts
   * only against the total.
   */
  private reserve(client: string, admin: boolean, bytes: number, sessions: number): void {
    let clientSessions = 0;
    let clientBytes = 0;
    let totalSessions = 0;
    let totalBytes = 0;
    for (const s of this.sessions.values()) {
      if (s.status !== 'active') continue;
      totalSessions++;
      totalBytes += held(s);
      if (s.client === client) {
        clientSessions++;
        clientBytes += held(s);
      }
    }
    const busy = (what: string) =>
      new StorageHttpError(429, `Too many unfinished resumable uploads ${what}; finish or cancel one and retry`);
    if (!admin && clientSessions + sessions > this.limits.sessionsPerClient)
      throw busy(`for this client (at most ${this.limits.sessionsPerClient} at once)`);
    if (!admin && clientBytes + bytes > this.limits.bytesPerClient)
      throw busy(`for this client (at most ${this.limits.bytesPerClient} bytes at once)`);
    if (totalSessions + sessions > this.limits.sessionsTotal)
      throw busy(`in the emulator (at most ${this.limits.sessionsTotal} at once)`);
    if (totalBytes + bytes > this.limits.bytesTotal)
      throw busy(`in the emulator (at most ${this.limits.bytesTotal} bytes at once)`);
  }

  /**
   * The session an upload URL names.
   * @throws StorageHttpError 400 for a missing, unknown or foreign id
   */
  get(id: string | null, bucket: string): UploadSession {
    if (!id)
      throw new StorageHttpError(400, 'Missing upload_id: continue a resumable upload at the URL its start returned');
    this.sweep();
    const s = this.sessions.get(id);
    if (!s)
      throw new StorageHttpError(
        400,
        `Unknown resumable upload id "${id}" (never started, expired, or the emulator restarted)`,
      );
    if (s.bucket !== bucket)
      throw new StorageHttpError(400, `Upload ${id} belongs to bucket ${s.bucket}, not ${bucket}`);
    s.touched = Date.now();
    return s;
  }

  /**
   * Refuses, before its body is read, a chunk that would carry the session past its declared size.
   * @param s - the session
   * @param offset - where the chunk starts (default: what was received)
   * @param length - the chunk's Content-Length, when sent
   */
  checkChunk(s: UploadSession, offset: number | undefined, length: number | undefined): void {
    // A finished session is answered by append() (400, already finalized or cancelled).
    if (s.status !== 'active' || s.declared === undefined || length === undefined) return;
    const end = (offset ?? s.received) + length;
    if (end > s.declared)
      throw new StorageHttpError(
        413,
        `Upload ${s.id} declared ${s.declared} bytes at start; this chunk would end at byte ${end}`,
      );
  }

  /** Appends a chunk at `offset`; bytes already received (a client retrying a chunk) are skipped. */
  append(s: UploadSession, chunk: Buffer, offset: number | undefined): void {
    if (s.status !== 'active')
      throw new StorageHttpError(400, `Upload ${s.id} is ${s.status === 'final' ? 'already finalized' : 'cancelled'}`);
    const at = offset ?? s.received;
    if (at > s.received)
      throw new StorageHttpError(400, `Upload offset ${at} is past the ${s.received} bytes received so far`);
    const fresh = chunk.subarray(Math.min(s.received - at, chunk.length));
    const after = s.received + fresh.length;
    if (s.declared !== undefined && after > s.declared)
      throw new StorageHttpError(413, `Upload ${s.id} declared ${s.declared} bytes at start; got ${after}`);
    if (after > MAX_OBJECT_BYTES)
      throw new StorageHttpError(413, `Objects are limited to ${MAX_OBJECT_BYTES} bytes in the emulator`);
    // Only an upload of undeclared size (admin) grows past its reservation; it must still fit in the total.
    if (after > (s.declared ?? 0) && fresh.length > 0)
      this.reserve(s.client, s.ctx.admin, after - Math.max(s.declared ?? 0, s.received), 0);
    if (fresh.length > 0) s.chunks.push(fresh);
    s.received = after;
  }

  /** Cancels an active session, dropping what it received. */
  cancel(s: UploadSession): void {
    if (s.status === 'final') throw new StorageHttpError(400, `Upload ${s.id} is already finalized`);
    s.status = 'cancelled';
    s.chunks = [];
  }

  /** Finalizes a session once; the answer (success or error) is kept for a client that asks again. */
  async finalize(
    s: UploadSession,
    render: (m: StoredObjectMetadata) => unknown,
  ): Promise<{ status: number; body: unknown }> {
    if (s.result) return s.result;
    if (s.status === 'cancelled') throw new StorageHttpError(400, `Upload ${s.id} was cancelled`);
    s.status = 'final';
    const bytes = Buffer.concat(s.chunks);
    s.chunks = [];
    try {
      s.result = {
        status: 200,
        body: render(await this.service.putObject(s.ctx, s.api, s.bucket, s.name, bytes, s.input)),
      };
    } catch (e) {
      if (!(e instanceof StorageHttpError)) throw e;
      s.result = { status: e.status, body: errorBody(e.status, e.message) };
    }
    return s.result;
  }

  /**
   * Forgets the sessions, and their bytes, of the buckets `which` selects (the emulator's reset).
   * @param which - given a bucket name, whether its sessions go
   */
  clearBuckets(which: (bucket: string) => boolean): void {
    for (const [id, s] of this.sessions) if (which(s.bucket)) this.sessions.delete(id);
  }
}
