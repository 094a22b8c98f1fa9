/**
 * Cloud Storage for Firebase, emulated over HTTP/1.1 on one port:
 * - the Firebase API (`/v0/b/{bucket}/o...`) spoken by the web SDK (`firebase/storage` 12) and by
 *   @firebase/rules-unit-testing, with every non-admin request judged by `authorize` (the storage rules);
 * - the GCS JSON API (`/storage/v1`, `/upload/storage/v1`, `/download/storage/v1`, and the bare `/b/...` paths that
 *   @google-cloud/storage uses when `STORAGE_EMULATOR_HOST` is set) for firebase-admin: admin, no rules, as in the
 *   official emulator;
 * - the emulator endpoints: `PUT /internal/setRules`, `POST|DELETE /internal/reset`, `GET /` health.
 * Answers follow firebase-tools' own Storage emulator (lib/emulator/storage) where the SDKs depend on them.
 */
import { randomUUID, createHash } from 'node:crypto';
import http from 'node:http';
import { contextFromAuthorization } from '../auth';
import { FirestoreError } from '../firestore/types';
import { MultipartError, parseMultipart } from './multipart';
import { DOWNLOAD_TOKENS_KEY, ObjectStore, type ObjectMetadataInput, type StoredObjectMetadata } from './store';
import { createTriggerQueue, type StorageCloudEvent } from './triggers';

/** Who is asking: `admin` for the `owner` token; otherwise the decoded (unverified) emulator ID token, or null. */
export interface StorageRequestContext {
  admin: boolean;
  auth: { uid: string; token: Record<string, unknown> } | null;
  requestId: string;
}

/** One question for the storage rules. */
export interface StorageAuthRequest {
  ctx: StorageRequestContext;
  bucket: string;
  /**
   * Object name (no leading slash) or, for list, the prefix the client sent with its trailing slashes removed
   * (`users/alice/` → `users/alice`, root → ``). That is the path firebase-tools' emulator gives its rules runtime
   * for list (`["b", bucket, "o", prefix.replace(/\/+$/, "")].join("/")` in lib/emulator/storage/files.js), together
   * with the delimiter, so `match /users/{uid}/{file} { allow list }` can grant listing `users/{uid}/`.
   */
  path: string;
  method: 'get' | 'list' | 'create' | 'update' | 'delete';
  /** Existing object's metadata, null if none. */
  resource: StoredObjectMetadata | null;
  /** Metadata the object would have after the write (create/update), null otherwise. */
  requestResource: StoredObjectMetadata | null;
  /** For list: the delimiter the client sent ("/" from the SDK's list() and listAll()), as passed to the official rules runtime. */
  delimiter?: string;
}

export interface StorageServerOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Objects are kept under `<dataDir>/storage/`; in memory without it. */
  dataDir?: string;
  /** The project whose Functions emulator gets the triggers (default: GCLOUD_PROJECT, else demo-project). */
  projectId?: string;
  /**
   * Judges every non-admin request (never admin): true or `{ allowed: true }` allows; a reason given with a denial is
   * passed to the client. Default: deny all with a clear 403 message "no storage.rules loaded".
   */
  authorize?: (req: StorageAuthRequest) => Promise<boolean | { allowed: boolean; reason?: string }>;
  /** Called by PUT /internal/setRules with the rules source; throw to refuse (answer 400 with the error message, keep old rules). */
  onRulesUpdate?: (source: string, fileName: string) => void | Promise<void>;
  /** Base URL of the firebase-tools Functions emulator (e.g. http://127.0.0.1:5001) for onObjectFinalized/onObjectDeleted/metadataUpdated triggers; absent = no triggers. */
  functionsUrl?: string | (() => string | undefined);
  /** Trigger delivery retries while the Functions emulator is not up (defaults: 8 attempts, 250 ms doubling). */
  triggerRetry?: { maxAttempts?: number; initialDelayMs?: number };
  log?: (event: string, detail?: Record<string, unknown>) => void;
}

export interface RunningStorage {
  host: string;
  port: number;
  /** "host:port": FIREBASE_STORAGE_EMULATOR_HOST and connectStorageEmulator; STORAGE_EMULATOR_HOST is `http://` + this. */
  address: string;
  store: ObjectStore;
  /** Resolves when every queued trigger was delivered (or given up). */
  whenTriggersIdle(): Promise<void>;
  close(): Promise<void>;
}

/** The largest object (or upload session) kept; uploads are buffered in memory. */
const MAX_OBJECT_BYTES = 256 * 1024 * 1024;
/** Unfinished resumable uploads idle this long are forgotten. */
const UPLOAD_SESSION_TTL_MS = 60 * 60 * 1000;
const REASONS: Record<number, string> = {
  400: 'invalid',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  413: 'uploadTooLarge',
  416: 'requestedRangeNotSatisfiable',
  501: 'notImplemented',
};
const EXPOSED_HEADERS = [
  'Content-Type',
  'Content-Range',
  'Content-Disposition',
  'X-Firebase-Storage-Version',
  'X-Goog-Upload-Size-Received',
  'X-Goog-Upload-URL',
  'X-Goog-Upload-Command',
  'X-GUploader-UploadID',
  'X-Goog-Upload-Header-Content-Length',
  'X-Goog-Upload-Header-Content-Type',
  'X-Goog-Upload-Protocol',
  'X-Goog-Upload-Status',
  'X-Goog-Upload-Chunk-Granularity',
  'X-Goog-Upload-Control-URL',
  'X-Goog-Hash',
  'X-Goog-Generation',
  'X-Goog-Metageneration',
  'Location',
  'Range',
].join(', ');

/** An answer other than 2xx, with the message the developer will read. */
export class StorageHttpError extends Error {
  override name = 'StorageHttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Api = 'firebase' | 'gcs';

interface UploadSession {
  id: string;
  api: Api;
  bucket: string;
  name: string;
  input: ObjectMetadataInput;
  /** The identity that started the upload: the upload URL is a capability of its starter, as in production. */
  ctx: StorageRequestContext;
  chunks: Buffer[];
  received: number;
  status: 'active' | 'final' | 'cancelled';
  touched: number;
  /** The finalize answer, replayed when the client finalizes again after losing the first answer. */
  result?: { status: number; body: unknown };
}

/**
 * Starts the Storage emulator.
 * @param opts - address, data folder, rules hook and Functions emulator
 */
export async function startStorageEmulator(opts: StorageServerOptions = {}): Promise<RunningStorage> {
  const host = opts.host ?? '127.0.0.1';
  const projectId = opts.projectId ?? process.env.GCLOUD_PROJECT ?? 'demo-project';
  const store = new ObjectStore(opts.dataDir);
  const uploads = new Map<string, UploadSession>();
  const triggers = createTriggerQueue({
    functionsUrl: opts.functionsUrl ?? (() => undefined),
    projectId,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.triggerRetry?.maxAttempts !== undefined ? { maxAttempts: opts.triggerRetry.maxAttempts } : {}),
    ...(opts.triggerRetry?.initialDelayMs !== undefined ? { initialDelayMs: opts.triggerRetry.initialDelayMs } : {}),
  });
  // Known once listening; only read while answering requests.
  let port = 0;
  let baseUrl = '';

  // ---- identity and rules ----

  const identify = (header: string | undefined): StorageRequestContext => {
    if (!header) return { admin: false, auth: null, requestId: randomUUID() };
    // The web SDK sends "Firebase <token>", GCS clients "Bearer <token>"; the token is read the same way either way.
    const m = /^(?:Firebase|Bearer)\s+(\S+)\s*$/i.exec(header.trim());
    if (!m?.[1]) throw new StorageHttpError(401, 'Malformed Authorization header; expected "Firebase <ID token>"');
    try {
      const c = contextFromAuthorization(`Bearer ${m[1]}`);
      return { admin: c.admin, auth: c.auth, requestId: c.requestId ?? randomUUID() };
    } catch (e) {
      if (e instanceof FirestoreError) throw new StorageHttpError(401, e.message);
      throw e;
    }
  };

  const authorize = async (q: StorageAuthRequest): Promise<void> => {
    if (q.ctx.admin) return;
    const where = `${q.method} on /b/${q.bucket}/o/${q.path}`;
    if (!opts.authorize) throw new StorageHttpError(403, `Permission denied: no storage.rules loaded (${where})`);
    let allowed: boolean;
    let reason: string | undefined;
    try {
      const answer = await opts.authorize(q);
      allowed = typeof answer === 'boolean' ? answer : answer.allowed;
      if (typeof answer !== 'boolean') reason = answer.reason;
    } catch (e) {
      // A rules evaluation that fails denies, as in production; the reason goes to the log and to the client.
      const message = e instanceof Error ? e.message : String(e);
      opts.log?.('storage-rules-error', {
        requestId: q.ctx.requestId,
        method: q.method,
        bucket: q.bucket,
        path: q.path,
        error: message,
      });
      throw new StorageHttpError(403, `Permission denied: storage rules failed to evaluate ${where}: ${message}`);
    }
    if (!allowed) {
      opts.log?.('storage-denied', {
        requestId: q.ctx.requestId,
        method: q.method,
        bucket: q.bucket,
        path: q.path,
        uid: q.ctx.auth?.uid ?? null,
      });
      throw new StorageHttpError(
        403,
        `Permission denied: storage rules do not allow ${where}${reason ? ` (${reason})` : ''}`,
      );
    }
  };

  // ---- writes shared by both APIs (each fires its trigger) ----

  const putObject = async (
    ctx: StorageRequestContext,
    api: Api,
    bucket: string,
    name: string,
    bytes: Buffer,
    input: ObjectMetadataInput,
  ): Promise<StoredObjectMetadata> => {
    checkName(name);
    let write = input;
    if (api === 'firebase') {
      // Firebase uploads get a download token and an inline disposition naming the file, as in production.
      const custom = { ...(input.metadata ?? {}) };
      if (typeof custom[DOWNLOAD_TOKENS_KEY] !== 'string') custom[DOWNLOAD_TOKENS_KEY] = randomUUID();
      const fileName = name.slice(name.lastIndexOf('/') + 1);
      write = {
        ...input,
        metadata: custom,
        ...(input.contentDisposition === undefined
          ? { contentDisposition: `inline; filename*=utf-8''${encodeURIComponent(fileName)}` }
          : {}),
      };
    }
    const existing = store.get(bucket, name);
    await authorize({
      ctx,
      bucket,
      path: name,
      method: existing ? 'update' : 'create',
      resource: existing,
      requestResource: store.preview(bucket, name, bytes, write),
    });
    const { meta } = store.put(bucket, name, bytes, write);
    opts.log?.('storage-object-written', {
      requestId: ctx.requestId,
      bucket,
      name,
      size: meta.size,
      generation: meta.generation,
    });
    triggers.enqueue('finalized', gcsResource(meta, baseUrl), meta.updated);
    return meta;
  };

  const patchObject = async (
    ctx: StorageRequestContext,
    bucket: string,
    name: string,
    patch: ObjectMetadataInput,
  ): Promise<StoredObjectMetadata> => {
    const existing = store.get(bucket, name);
    await authorize({
      ctx,
      bucket,
      path: name,
      method: 'update',
      resource: existing,
      requestResource: existing ? store.previewPatch(existing, patch) : null,
    });
    const meta = store.patch(bucket, name, patch);
    if (!meta) throw notFound(bucket, name);
    triggers.enqueue('metadataUpdated', gcsResource(meta, baseUrl), meta.updated);
    return meta;
  };

  const deleteObject = async (ctx: StorageRequestContext, bucket: string, name: string): Promise<void> => {
    await authorize({
      ctx,
      bucket,
      path: name,
      method: 'delete',
      resource: store.get(bucket, name),
      requestResource: null,
    });
    const gone = store.delete(bucket, name);
    if (!gone) throw notFound(bucket, name);
    opts.log?.('storage-object-deleted', { requestId: ctx.requestId, bucket, name });
    triggers.enqueue('deleted', gcsResource(gone, baseUrl), new Date().toISOString());
  };

  // ---- resumable uploads ----

  const startSession = (
    api: Api,
    ctx: StorageRequestContext,
    bucket: string,
    name: string,
    input: ObjectMetadataInput,
  ): UploadSession => {
    checkName(name);
    const now = Date.now();
    for (const [id, s] of uploads) if (now - s.touched > UPLOAD_SESSION_TTL_MS) uploads.delete(id);
    const session: UploadSession = {
      id: randomUUID(),
      api,
      bucket,
      name,
      input,
      ctx,
      chunks: [],
      received: 0,
      status: 'active',
      touched: now,
    };
    uploads.set(session.id, session);
    return session;
  };

  const sessionOf = (id: string | null, bucket: string): UploadSession => {
    if (!id)
      throw new StorageHttpError(400, 'Missing upload_id: continue a resumable upload at the URL its start returned');
    const s = uploads.get(id);
    if (!s)
      throw new StorageHttpError(
        400,
        `Unknown resumable upload id "${id}" (never started, expired, or the emulator restarted)`,
      );
    if (s.bucket !== bucket)
      throw new StorageHttpError(400, `Upload ${id} belongs to bucket ${s.bucket}, not ${bucket}`);
    s.touched = Date.now();
    return s;
  };

  /** Appends a chunk at `offset`; bytes already received (a client retrying a chunk) are skipped. */
  const append = (s: UploadSession, chunk: Buffer, offset: number | undefined): void => {
    if (s.status !== 'active')
      throw new StorageHttpError(400, `Upload ${s.id} is ${s.status === 'final' ? 'already finalized' : 'cancelled'}`);
    const at = offset ?? s.received;
    if (at > s.received)
      throw new StorageHttpError(400, `Upload offset ${at} is past the ${s.received} bytes received so far`);
    const fresh = chunk.subarray(Math.min(s.received - at, chunk.length));
    if (s.received + fresh.length > MAX_OBJECT_BYTES)
      throw new StorageHttpError(413, `Objects are limited to ${MAX_OBJECT_BYTES} bytes in the emulator`);
    if (fresh.length > 0) s.chunks.push(fresh);
    s.received += fresh.length;
  };

  /** Finalizes a session once; the answer (success or error) is kept for a client that asks again. */
  const finalize = async (
    s: UploadSession,
    render: (m: StoredObjectMetadata) => unknown,
  ): Promise<{ status: number; body: unknown }> => {
    if (s.result) return s.result;
    if (s.status === 'cancelled') throw new StorageHttpError(400, `Upload ${s.id} was cancelled`);
    s.status = 'final';
    const bytes = Buffer.concat(s.chunks);
    s.chunks = [];
    try {
      s.result = { status: 200, body: render(await putObject(s.ctx, s.api, s.bucket, s.name, bytes, s.input)) };
    } catch (e) {
      if (!(e instanceof StorageHttpError)) throw e;
      s.result = { status: e.status, body: errorBody(e.status, e.message) };
    }
    return s.result;
  };

  // ---- Firebase API ----

  const firebaseApi = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const m = /^\/v0\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(url.pathname);
    if (!m?.[1]) {
      if (url.pathname === '/v0' || url.pathname === '/v0/') return sendJson(res, 200, { emulator: 'storage' });
      throw new StorageHttpError(404, `No such endpoint: ${req.method ?? ''} ${url.pathname}`);
    }
    const bucket = decodePart(m[1]);
    const object = m[2] === undefined ? undefined : decodePart(m[2]);
    const ctx = identify(req.headers.authorization);
    const method =
      req.method === 'PUT' && header(req, 'x-http-method-override')?.toUpperCase() === 'PATCH' ? 'PATCH' : req.method;
    const q = url.searchParams;

    if (object === undefined) {
      if (method === 'GET') return firebaseList(ctx, bucket, q, res);
      if (method === 'POST' || method === 'PUT')
        return firebaseUpload(req, res, ctx, bucket, q.get('name') ?? undefined, q);
      throw new StorageHttpError(405, `${method ?? ''} is not supported on /v0/b/${bucket}/o`);
    }
    switch (method) {
      case 'GET': {
        const alt = q.get('alt');
        const token = q.get('token');
        const current = store.get(bucket, object);
        // A valid download token grants read of the bytes with no identity at all, as production's download URLs do.
        const byToken = alt === 'media' && token !== null && current !== null && current.downloadTokens.includes(token);
        if (!byToken)
          await authorize({ ctx, bucket, path: object, method: 'get', resource: current, requestResource: null });
        if (alt === 'media') {
          const found = store.read(bucket, object);
          if (!found) throw notFound(bucket, object);
          return sendMedia(req, res, found.meta, found.bytes);
        }
        const meta = store.ensureDownloadToken(bucket, object);
        if (!meta) throw notFound(bucket, object);
        return sendJson(res, 200, firebaseResource(meta));
      }
      case 'PATCH': {
        const meta = await patchObject(ctx, bucket, object, metadataInput(parseJson(await readBody(req))));
        return sendJson(res, 200, firebaseResource(meta));
      }
      case 'DELETE':
        await deleteObject(ctx, bucket, object);
        res.writeHead(204).end();
        return;
      case 'POST':
      case 'PUT': {
        // Token management (the console's "create new access token" / "revoke"), admin only as in firebase-tools.
        const deleteToken = q.get('delete_token');
        if (q.get('create_token') === 'true' || deleteToken) {
          if (!ctx.admin)
            throw new StorageHttpError(403, 'Creating or revoking download tokens needs admin credentials');
          const existing = store.get(bucket, object);
          if (!existing) throw notFound(bucket, object);
          const kept = existing.downloadTokens.filter((t) => t !== deleteToken);
          // Revoking the last token issues a fresh one, so the object keeps a download URL (production does the same).
          const tokens = deleteToken ? (kept.length > 0 ? kept : [randomUUID()]) : [...kept, randomUUID()];
          const meta = await patchObject(ctx, bucket, object, {
            metadata: { [DOWNLOAD_TOKENS_KEY]: tokens.join(',') },
          });
          return sendJson(res, 200, firebaseResource(meta));
        }
        // firebase-tools also accepts uploads addressed to the object's own URL.
        return firebaseUpload(req, res, ctx, bucket, object, q);
      }
      default:
        throw new StorageHttpError(405, `${method ?? ''} is not supported on objects`);
    }
  };

  const firebaseList = async (
    ctx: StorageRequestContext,
    bucket: string,
    q: URLSearchParams,
    res: http.ServerResponse,
  ): Promise<void> => {
    const prefix = q.get('prefix') ?? '';
    if (prefix && !prefix.endsWith('/'))
      throw new StorageHttpError(
        400,
        'The prefix parameter is required to be empty or ends with a single / character.',
      );
    const delimiter = q.get('delimiter') ?? '';
    const maxResults = intParam(q, 'maxResults', 1, 1000);
    await authorize({
      ctx,
      bucket,
      path: prefix.replace(/\/+$/, ''),
      method: 'list',
      resource: null,
      requestResource: null,
      delimiter,
    });
    const page = store.list(bucket, {
      prefix,
      delimiter,
      ...(maxResults !== undefined ? { maxResults } : {}),
      ...(q.get('pageToken') ? { pageToken: q.get('pageToken') ?? '' } : {}),
    });
    // The Firebase API hides names that are not valid paths ("a//b", "/a"), which no reference can point at.
    return sendJson(res, 200, {
      prefixes: page.prefixes.filter((p) => isValidPath(p.replace(/\/$/, ''))),
      items: page.items.filter((i) => isValidPath(i.name)).map((i) => ({ name: i.name, bucket: i.bucket })),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    });
  };

  const firebaseUpload = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ctx: StorageRequestContext,
    bucket: string,
    queryName: string | undefined,
    q: URLSearchParams,
  ): Promise<void> => {
    const protocol = header(req, 'x-goog-upload-protocol')?.toLowerCase();
    const command = header(req, 'x-goog-upload-command');
    if (protocol === 'resumable' || command !== undefined || q.has('upload_id')) {
      if (!command)
        throw new StorageHttpError(
          400,
          'Resumable uploads need an X-Goog-Upload-Command header (start, upload, finalize, query or cancel)',
        );
      const commands = command.split(',').map((c) => c.trim().toLowerCase());
      const unknown = commands.filter((c) => !['start', 'upload', 'finalize', 'query', 'cancel'].includes(c));
      if (unknown.length > 0 || commands.length === 0)
        throw new StorageHttpError(400, `Unknown X-Goog-Upload-Command "${command}"`);
      if (commands.includes('start')) {
        const body = await readBody(req);
        const json = body.length > 0 ? parseJson(body) : {};
        const name = queryName ?? stringField(json, 'name');
        if (!name) throw new StorageHttpError(400, 'Missing object name: pass ?name= or "name" in the metadata');
        const input = metadataInput(json);
        const declaredType = header(req, 'x-goog-upload-header-content-type');
        if (input.contentType === undefined && declaredType) input.contentType = declaredType;
        const s = startSession('firebase', ctx, bucket, name, input);
        const next = new URL(
          `/v0/b/${encodeURIComponent(bucket)}/o`,
          `http://${req.headers.host ?? `${host}:${port}`}`,
        );
        next.searchParams.set('name', name);
        next.searchParams.set('upload_id', s.id);
        next.searchParams.set('upload_protocol', 'resumable');
        res.writeHead(200, {
          'X-Goog-Upload-Status': 'active',
          'X-Goog-Upload-URL': next.toString(),
          'X-Goog-Upload-Chunk-Granularity': String(256 * 1024),
          'X-GUploader-UploadID': s.id,
          'Content-Length': '0',
        });
        res.end();
        return;
      }
      const s = sessionOf(q.get('upload_id'), bucket);
      if (commands.includes('query')) {
        res.writeHead(200, {
          'X-Goog-Upload-Status': s.status,
          'X-Goog-Upload-Size-Received': String(s.received),
          'Content-Length': '0',
        });
        res.end();
        return;
      }
      if (commands.includes('cancel')) {
        if (s.status === 'final') throw new StorageHttpError(400, `Upload ${s.id} is already finalized`);
        s.status = 'cancelled';
        s.chunks = [];
        res.writeHead(200, { 'X-Goog-Upload-Status': 'cancelled', 'Content-Length': '0' });
        res.end();
        return;
      }
      if (commands.includes('upload')) {
        const chunk = await readBody(req);
        // A finalize repeated by a client that lost the first answer carries the last chunk again: replay, do not append.
        if (!(s.result && commands.includes('finalize'))) append(s, chunk, intHeader(req, 'x-goog-upload-offset'));
      }
      if (!commands.includes('finalize')) {
        res.writeHead(200, {
          'X-Goog-Upload-Status': 'active',
          'X-Goog-Upload-Size-Received': String(s.received),
          'X-GUploader-UploadID': s.id,
          'Content-Length': '0',
        });
        res.end();
        return;
      }
      const result = await finalize(s, firebaseResource);
      res.setHeader('X-Goog-Upload-Status', 'final');
      return sendJson(res, result.status, result.body);
    }

    const body = await readBody(req);
    let bytes: Buffer;
    let input: ObjectMetadataInput;
    let name = queryName;
    if (protocol === 'multipart') {
      const parts = multipartUpload(req, body);
      name ??= stringField(parts.metadata, 'name');
      input = metadataInput(parts.metadata);
      if (input.contentType === undefined && parts.mediaType) input.contentType = parts.mediaType;
      bytes = parts.media;
    } else {
      // A raw ("media") upload: the body is the object.
      bytes = body;
      input = header(req, 'content-type') ? { contentType: header(req, 'content-type') ?? null } : {};
    }
    if (!name) throw new StorageHttpError(400, 'Missing object name: pass ?name= or "name" in the metadata');
    const meta = await putObject(ctx, 'firebase', bucket, name, bytes, input);
    return sendJson(res, 200, firebaseResource(meta));
  };

  // ---- GCS JSON API (firebase-admin / @google-cloud/storage): admin, no rules ----

  const asAdmin = (): StorageRequestContext => ({ admin: true, auth: null, requestId: randomUUID() });

  const gcsApi = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> => {
    const p = url.pathname;
    const q = url.searchParams;
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o\/?$/.exec(p);
    if (upload?.[1]) {
      const bucket = decodePart(upload[1]);
      if (req.method === 'PUT' || (req.method === 'POST' && q.has('upload_id'))) {
        await gcsResumableChunk(req, res, bucket, q);
        return true;
      }
      if (req.method !== 'POST') throw new StorageHttpError(405, `${req.method ?? ''} is not supported on uploads`);
      await gcsUpload(req, res, bucket, q);
      return true;
    }
    const obj = /^\/(?:(?:download\/)?storage\/v1\/)?b\/([^/]+)\/o(?:\/(.+))?$/.exec(p);
    if (obj?.[1]) {
      const bucket = decodePart(obj[1]);
      const name = obj[2] === undefined ? undefined : decodePart(obj[2]);
      if (name === undefined) {
        if (req.method !== 'GET')
          throw new StorageHttpError(405, `${req.method ?? ''} is not supported on /b/${bucket}/o`);
        const maxResults = intParam(q, 'maxResults', 1, Number.MAX_SAFE_INTEGER);
        const page = store.list(bucket, {
          prefix: q.get('prefix') ?? '',
          delimiter: q.get('delimiter') ?? '',
          ...(maxResults !== undefined ? { maxResults } : {}),
          ...(q.get('pageToken') ? { pageToken: q.get('pageToken') ?? '' } : {}),
        });
        sendJson(res, 200, {
          kind: 'storage#objects',
          ...(page.prefixes.length ? { prefixes: page.prefixes } : {}),
          ...(page.items.length ? { items: page.items.map((i) => gcsResource(i, baseUrl)) } : {}),
          ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        });
        return true;
      }
      switch (req.method) {
        case 'GET': {
          const found = store.read(bucket, name);
          if (!found) throw notFound(bucket, name);
          if (q.get('alt') === 'media') sendMedia(req, res, found.meta, found.bytes);
          else sendJson(res, 200, gcsResource(found.meta, baseUrl));
          return true;
        }
        case 'PATCH':
        case 'PUT': {
          const meta = await patchObject(asAdmin(), bucket, name, metadataInput(parseJson(await readBody(req))));
          sendJson(res, 200, gcsResource(meta, baseUrl));
          return true;
        }
        case 'DELETE':
          await deleteObject(asAdmin(), bucket, name);
          res.writeHead(204).end();
          return true;
        default:
          throw new StorageHttpError(405, `${req.method ?? ''} is not supported on objects`);
      }
    }
    const bucketPath = /^\/(?:storage\/v1\/)?b\/([^/]+)\/?$/.exec(p);
    if (bucketPath?.[1] && req.method === 'GET') {
      // Every bucket exists in the emulator, as in firebase-tools (buckets are created on first use).
      const name = decodePart(bucketPath[1]);
      sendJson(res, 200, {
        kind: 'storage#bucket',
        id: name,
        name,
        location: 'US',
        storageClass: 'STANDARD',
        metageneration: '1',
        projectNumber: '0',
      });
      return true;
    }
    return false;
  };

  const gcsUpload = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    bucket: string,
    q: URLSearchParams,
  ): Promise<void> => {
    const uploadType = (q.get('uploadType') ?? header(req, 'x-goog-upload-protocol') ?? 'media').toLowerCase();
    const body = await readBody(req);
    const queryName = q.get('name') ?? undefined;
    switch (uploadType) {
      case 'resumable': {
        const json = body.length > 0 ? parseJson(body) : {};
        const name = stripSlash(queryName ?? stringField(json, 'name'));
        if (!name) throw new StorageHttpError(400, 'Missing object name: pass ?name= or "name" in the metadata');
        const input = metadataInput(json);
        const declaredType = header(req, 'x-upload-content-type');
        if (input.contentType === undefined && declaredType) input.contentType = declaredType;
        const s = startSession('gcs', asAdmin(), bucket, name, input);
        const next = new URL(
          `/upload/storage/v1/b/${encodeURIComponent(bucket)}/o`,
          `http://${req.headers.host ?? `${host}:${port}`}`,
        );
        next.searchParams.set('uploadType', 'resumable');
        next.searchParams.set('name', name);
        next.searchParams.set('upload_id', s.id);
        res.writeHead(200, { Location: next.toString(), 'X-GUploader-UploadID': s.id, 'Content-Length': '0' });
        res.end();
        return;
      }
      case 'multipart': {
        const parts = multipartUpload(req, body);
        const name = stripSlash(queryName ?? stringField(parts.metadata, 'name'));
        if (!name) throw new StorageHttpError(400, 'Missing object name: pass ?name= or "name" in the metadata');
        const input = metadataInput(parts.metadata);
        if (input.contentType === undefined && parts.mediaType) input.contentType = parts.mediaType;
        return sendJson(
          res,
          200,
          gcsResource(await putObject(asAdmin(), 'gcs', bucket, name, parts.media, input), baseUrl),
        );
      }
      case 'media': {
        const name = stripSlash(queryName);
        if (!name) throw new StorageHttpError(400, 'Missing object name: pass ?name=');
        const type = header(req, 'content-type');
        return sendJson(
          res,
          200,
          gcsResource(
            await putObject(asAdmin(), 'gcs', bucket, name, body, type ? { contentType: type } : {}),
            baseUrl,
          ),
        );
      }
      default:
        throw new StorageHttpError(400, `Unknown uploadType "${uploadType}" (expected media, multipart or resumable)`);
    }
  };

  /**
   * One PUT of a GCS resumable upload. Content-Range says what it carries: `bytes S-E/T` a chunk (T "*" while the
   * total is unknown), `bytes S-*\/T` the rest of the object in one stream, `bytes *\/T` a status check (or, when T
   * equals what arrived, the finish). Until the object is complete the answer is 308 with the Range received.
   */
  const gcsResumableChunk = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    bucket: string,
    q: URLSearchParams,
  ): Promise<void> => {
    const s = sessionOf(q.get('upload_id'), bucket);
    const body = await readBody(req);
    const range = header(req, 'content-range');
    const m = range === undefined ? null : /^bytes\s+(?:\*|(\d+)-(\d+|\*))\/(\d+|\*)$/i.exec(range.trim());
    if (range !== undefined && !m) throw new StorageHttpError(400, `Malformed Content-Range "${range}"`);
    const start = m?.[1] === undefined ? undefined : Number(m[1]);
    const endOpen = m?.[2] === '*';
    const total = m?.[3] === undefined || m[3] === '*' ? undefined : Number(m[3]);
    if (!s.result) {
      if (start !== undefined) append(s, body, start);
      else if (m === null) append(s, body, undefined);
      else if (body.length > 0) throw new StorageHttpError(400, 'A "bytes */N" request must not carry data');
      if (total !== undefined && s.received > total)
        throw new StorageHttpError(400, `Received ${s.received} bytes, more than the declared ${total}`);
      const complete = total !== undefined ? s.received === total : m === null || (endOpen && start !== undefined);
      if (!complete) {
        res.writeHead(308, {
          ...(s.received > 0 ? { Range: `bytes=0-${s.received - 1}` } : {}),
          'Content-Length': '0',
        });
        res.end();
        return;
      }
    }
    const result = await finalize(s, (meta) => gcsResource(meta, baseUrl));
    return sendJson(res, result.status, result.body);
  };

  // ---- emulator endpoints ----

  const setRules = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const body = parseJson(await readBody(req));
    const rules = body.rules;
    const files = typeof rules === 'object' && rules !== null && 'files' in rules ? rules.files : undefined;
    if (!Array.isArray(files) || files.length === 0)
      throw new StorageHttpError(400, 'Body must be {"rules":{"files":[{"name":"storage.rules","content":"..."}]}}');
    if (files.length > 1)
      throw new StorageHttpError(400, 'One rules file is supported (rules for several buckets are not)');
    const file: unknown = files[0];
    const content = typeof file === 'object' && file !== null && 'content' in file ? file.content : undefined;
    const fileName =
      typeof file === 'object' && file !== null && 'name' in file && typeof file.name === 'string'
        ? file.name
        : 'storage.rules';
    if (typeof content !== 'string')
      throw new StorageHttpError(400, 'rules.files[0].content must be the rules source as a string');
    if (!opts.onRulesUpdate)
      throw new StorageHttpError(501, 'This Storage emulator was started without a rules engine (no onRulesUpdate)');
    try {
      await opts.onRulesUpdate(content, fileName);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      opts.log?.('storage-rules-rejected', { fileName, error: message });
      throw new StorageHttpError(400, message);
    }
    opts.log?.('storage-rules-loaded', { fileName });
    sendJson(res, 200, { message: 'Rules updated successfully' });
  };

  // ---- routing ----

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    cors(req, res);
    if (req.method === 'OPTIONS') return preflight(req, res);
    const url = new URL(req.url ?? '/', 'http://storage');
    const p = url.pathname;
    if (p === '/' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Ok');
      return;
    }
    if (p === '/internal/setRules') {
      if (req.method !== 'PUT') throw new StorageHttpError(405, 'Use PUT /internal/setRules');
      return setRules(req, res);
    }
    if (p === '/internal/reset') {
      if (req.method !== 'POST' && req.method !== 'DELETE')
        throw new StorageHttpError(405, 'Use POST or DELETE /internal/reset');
      const n = store.size();
      store.clear();
      uploads.clear();
      opts.log?.('storage-reset', { objects: n });
      return sendJson(res, 200, {});
    }
    if (p === '/v0' || p.startsWith('/v0/')) return firebaseApi(req, res, url);
    if (await gcsApi(req, res, url)) return;
    throw new StorageHttpError(404, `No such endpoint: ${req.method ?? ''} ${p}`);
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      const status = e instanceof StorageHttpError ? e.status : 500;
      const message = e instanceof Error ? e.message : String(e);
      opts.log?.('storage-http-error', { method: req.method, url: req.url, status, error: message });
      if (res.headersSent) {
        res.end();
        return;
      }
      // The body is drained so the client can read the answer before the connection is reused.
      req.resume();
      sendJson(res, status, errorBody(status, message));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  baseUrl = `http://${host}:${port}`;

  return {
    host,
    port,
    address: `${host}:${port}`,
    store,
    whenTriggersIdle: () => triggers.whenIdle(),
    async close() {
      triggers.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// ---- wire formats ----

function etagOf(m: StoredObjectMetadata): string {
  return createHash('sha1').update(`${m.generation}/${m.metageneration}`).digest('base64').replace(/=+$/, '');
}

/** Metadata as the Firebase API returns it (firebase-tools' OutgoingFirebaseMetadata). */
export function firebaseResource(m: StoredObjectMetadata): Record<string, unknown> {
  return {
    name: m.name,
    bucket: m.bucket,
    generation: String(m.generation),
    metageneration: String(m.metageneration),
    contentType: m.contentType,
    timeCreated: m.timeCreated,
    updated: m.updated,
    storageClass: 'STANDARD',
    size: String(m.size),
    md5Hash: m.md5Hash,
    crc32c: m.crc32c,
    etag: etagOf(m),
    downloadTokens: m.downloadTokens.join(','),
    contentEncoding: m.contentEncoding ?? 'identity',
    ...(m.contentDisposition !== undefined ? { contentDisposition: m.contentDisposition } : {}),
    ...(m.contentLanguage !== undefined ? { contentLanguage: m.contentLanguage } : {}),
    ...(m.cacheControl !== undefined ? { cacheControl: m.cacheControl } : {}),
    ...(Object.keys(m.metadata).length > 0 ? { metadata: m.metadata } : {}),
  };
}

/**
 * Metadata as the GCS JSON API returns it (an `storage#object`), also the `data` of trigger events.
 * @param m - the object
 * @param baseUrl - this emulator's origin, for selfLink and mediaLink
 */
export function gcsResource(m: StoredObjectMetadata, baseUrl: string): StorageCloudEvent['data'] {
  const enc = encodeURIComponent(m.name);
  const custom: Record<string, string> = { ...m.metadata };
  if (m.downloadTokens.length > 0) custom[DOWNLOAD_TOKENS_KEY] = m.downloadTokens.join(',');
  return {
    kind: 'storage#object',
    id: `${m.bucket}/${m.name}/${m.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${encodeURIComponent(m.bucket)}/o/${enc}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${encodeURIComponent(m.bucket)}/o/${enc}?generation=${m.generation}&alt=media`,
    name: m.name,
    bucket: m.bucket,
    generation: String(m.generation),
    metageneration: String(m.metageneration),
    contentType: m.contentType,
    storageClass: 'STANDARD',
    size: String(m.size),
    md5Hash: m.md5Hash,
    crc32c: m.crc32c,
    etag: etagOf(m),
    timeCreated: m.timeCreated,
    updated: m.updated,
    timeStorageClassUpdated: m.timeCreated,
    ...(m.contentDisposition !== undefined ? { contentDisposition: m.contentDisposition } : {}),
    ...(m.contentEncoding !== undefined ? { contentEncoding: m.contentEncoding } : {}),
    ...(m.contentLanguage !== undefined ? { contentLanguage: m.contentLanguage } : {}),
    ...(m.cacheControl !== undefined ? { cacheControl: m.cacheControl } : {}),
    ...(Object.keys(custom).length > 0 ? { metadata: custom } : {}),
  };
}

/** The GCS error shape; the web SDK reads only the status, firebase-admin also the message. */
function errorBody(status: number, message: string): unknown {
  const reason = REASONS[status] ?? 'internalError';
  return { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } };
}

function notFound(bucket: string, name: string): StorageHttpError {
  return new StorageHttpError(404, `No such object: ${bucket}/${name}`);
}

// ---- HTTP helpers ----

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Object bytes with the headers both SDKs read (x-goog-hash is checked by firebase-admin), and single byte ranges. */
function sendMedia(req: http.IncomingMessage, res: http.ServerResponse, m: StoredObjectMetadata, bytes: Buffer): void {
  const headers: Record<string, string> = {
    'Content-Type': m.contentType,
    'Accept-Ranges': 'bytes',
    ETag: etagOf(m),
    'Last-Modified': new Date(m.updated).toUTCString(),
    'X-Goog-Generation': String(m.generation),
    'X-Goog-Metageneration': String(m.metageneration),
    'X-Goog-Hash': `crc32c=${m.crc32c},md5=${m.md5Hash}`,
    'X-Goog-Stored-Content-Encoding': m.contentEncoding ?? 'identity',
    'X-Goog-Stored-Content-Length': String(m.size),
    'X-Goog-Storage-Class': 'STANDARD',
  };
  if (m.contentDisposition) headers['Content-Disposition'] = m.contentDisposition;
  if (m.contentEncoding) headers['Content-Encoding'] = m.contentEncoding;
  if (m.contentLanguage) headers['Content-Language'] = m.contentLanguage;
  if (m.cacheControl) headers['Cache-Control'] = m.cacheControl;
  const range = header(req, 'range');
  if (range) {
    const r = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    const size = bytes.length;
    let start = r?.[1] ? Number(r[1]) : undefined;
    let end = r?.[2] ? Number(r[2]) : undefined;
    if (r && start === undefined && end !== undefined) {
      // "bytes=-N": the last N bytes.
      start = Math.max(size - end, 0);
      end = size - 1;
    }
    if (!r || start === undefined || start >= size || (end !== undefined && end < start)) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': '0' });
      res.end();
      return;
    }
    end = Math.min(end ?? size - 1, size - 1);
    const slice = bytes.subarray(start, end + 1);
    res.writeHead(206, {
      ...headers,
      'Content-Range': `bytes ${start}-${end}/${size}`,
      'Content-Length': String(slice.length),
    });
    res.end(slice);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

/** Reads a whole body; past the object limit the rest is drained and the request refused with 413. */
function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_OBJECT_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_OBJECT_BYTES)
        reject(new StorageHttpError(413, `Objects are limited to ${MAX_OBJECT_BYTES} bytes in the emulator`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function intHeader(req: http.IncomingMessage, name: string): number | undefined {
  const v = header(req, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new StorageHttpError(400, `${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

function intParam(q: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new StorageHttpError(400, `${name} must be an integer from ${min} to ${max}, got "${v}"`);
  return n;
}

function decodePart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new StorageHttpError(400, `Malformed percent-encoding in "${s}"`);
  }
}

function stripSlash(name: string | undefined): string | undefined {
  return name?.startsWith('/') ? name.slice(1) : name;
}

/** GCS's own limits on names: 1–1024 bytes of UTF-8, no CR or LF. */
function checkName(name: string): void {
  if (name.length === 0) throw new StorageHttpError(400, 'Object name must not be empty');
  if (Buffer.byteLength(name) > 1024) throw new StorageHttpError(400, 'Object names are limited to 1024 bytes');
  if (/[\r\n]/.test(name))
    throw new StorageHttpError(400, 'Object names must not contain carriage returns or line feeds');
}

function isValidPath(name: string): boolean {
  return name.length > 0 && !name.startsWith('/') && name.split('/').every((s) => s.length > 0);
}

function parseJson(body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new StorageHttpError(400, 'Request body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new StorageHttpError(400, 'Request body must be a JSON object');
  return v as Record<string, unknown>;
}

function stringField(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Validates client metadata JSON into the store's input; unknown fields (name, size, md5Hash...) are ignored. */
function metadataInput(o: Record<string, unknown>): ObjectMetadataInput {
  const out: ObjectMetadataInput = {};
  for (const key of [
    'contentType',
    'contentDisposition',
    'contentEncoding',
    'contentLanguage',
    'cacheControl',
  ] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string') throw new StorageHttpError(400, `${key} must be a string or null`);
    out[key] = v;
  }
  const custom = o.metadata;
  if (custom === null) out.metadata = null;
  else if (custom !== undefined) {
    if (typeof custom !== 'object' || Array.isArray(custom))
      throw new StorageHttpError(400, 'metadata must be an object of strings');
    const m: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(custom)) {
      if (v === null) m[k] = null;
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') m[k] = String(v);
      else throw new StorageHttpError(400, `metadata.${k} must be a string or null`);
    }
    out.metadata = m;
  }
  return out;
}

/** Splits a one-shot multipart upload into its JSON metadata and its media. */
function multipartUpload(
  req: http.IncomingMessage,
  body: Buffer,
): { metadata: Record<string, unknown>; media: Buffer; mediaType?: string } {
  const type = header(req, 'content-type');
  if (!type) throw new StorageHttpError(400, 'A multipart upload needs a Content-Type with its boundary');
  let parts;
  try {
    parts = parseMultipart(type, body);
  } catch (e) {
    if (e instanceof MultipartError) throw new StorageHttpError(400, e.message);
    throw e;
  }
  const [meta, media] = parts;
  if (parts.length !== 2 || !meta || !media)
    throw new StorageHttpError(400, `A multipart upload has 2 parts (metadata, media); got ${parts.length}`);
  const mediaType = media.headers['content-type'];
  return { metadata: parseJson(meta.body), media: media.body, ...(mediaType ? { mediaType } : {}) };
}

function cors(req: http.IncomingMessage, res: http.ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

function preflight(req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers':
      header(req, 'access-control-request-headers') ??
      'Authorization, Content-Type, X-Goog-Upload-Protocol, X-Goog-Upload-Command',
    'Access-Control-Max-Age': '86400',
  };
  // Chrome asks before a public page may reach 127.0.0.1 (Private Network Access).
  if (header(req, 'access-control-request-private-network')) headers['Access-Control-Allow-Private-Network'] = 'true';
  res.writeHead(204, headers);
  res.end();
}
