/**
 * What the three APIs of the Storage emulator share: who is asking, the rules question, the error every non-2xx
 * answer carries, the two wire formats of object metadata, and the HTTP helpers (bodies, headers, media, CORS).
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { MultipartError, parseMultipart } from './multipart';
import { DOWNLOAD_TOKENS_KEY, type ObjectMetadataInput, type StoredObjectMetadata } from './store';
import type { StorageCloudEvent } from './triggers';

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

/**
 * The project a bucket belongs to: `<project>.appspot.com` and `<project>.firebasestorage.app` are Firebase's default
 * buckets; any other name is taken as the project id itself, which is the bucket @firebase/rules-unit-testing uses
 * (`gs://${projectId}`).
 * @param bucket - the bucket name
 */
export function projectOfBucket(bucket: string): string {
  const m = /^(.+)\.(?:appspot\.com|firebasestorage\.app)$/.exec(bucket);
  return m?.[1] ?? bucket;
}

/** The largest object (or upload session) kept; uploads are buffered in memory. */
export const MAX_OBJECT_BYTES = 256 * 1024 * 1024;
/** The largest metadata body (a resumable start, a metadata patch); GCS allows 8 KiB of custom metadata. */
export const MAX_METADATA_BYTES = 1024 * 1024;
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

// ---- wire formats ----

/** The ETag both APIs give an object generation and metageneration. */
export function etagOf(m: StoredObjectMetadata): string {
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
export function errorBody(status: number, message: string): unknown {
  const reason = REASONS[status] ?? 'internalError';
  return { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } };
}

/** The 404 of a missing object. */
export function notFound(bucket: string, name: string): StorageHttpError {
  return new StorageHttpError(404, `No such object: ${bucket}/${name}`);
}

// ---- HTTP helpers ----

/** Answers with a JSON body. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Object bytes with the headers both SDKs read (x-goog-hash is checked by firebase-admin), and single byte ranges. */
export function sendMedia(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  m: StoredObjectMetadata,
  bytes: Buffer,
): void {
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

/**
 * Reads a whole body; past `max` the rest is drained and the request refused with 413.
 * @param req - the request
 * @param max - the most bytes kept (default: the object limit)
 */
export function readBody(req: http.IncomingMessage, max = MAX_OBJECT_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => {
      if (size > max)
        reject(
          new StorageHttpError(
            413,
            max === MAX_OBJECT_BYTES
              ? `Objects are limited to ${max} bytes in the emulator`
              : `This request's body is limited to ${max} bytes`,
          ),
        );
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** A request header's (first) value. */
export function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A header holding a non-negative integer, or undefined; anything else is a 400. */
export function intHeader(req: http.IncomingMessage, name: string): number | undefined {
  const v = header(req, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new StorageHttpError(400, `${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

/** A query parameter holding an integer in [min, max], or undefined; anything else is a 400. */
export function intParam(q: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new StorageHttpError(400, `${name} must be an integer from ${min} to ${max}, got "${v}"`);
  return n;
}

/** Decodes one percent-encoded path part; a broken escape is a 400. */
export function decodePart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new StorageHttpError(400, `Malformed percent-encoding in "${s}"`);
  }
}

/** GCS clients may send names with a leading slash; objects never have one. */
export function stripSlash(name: string | undefined): string | undefined {
  return name?.startsWith('/') ? name.slice(1) : name;
}

/** GCS's own limits on names: 1–1024 bytes of UTF-8, no CR or LF. */
export function checkName(name: string): void {
  if (name.length === 0) throw new StorageHttpError(400, 'Object name must not be empty');
  if (Buffer.byteLength(name) > 1024) throw new StorageHttpError(400, 'Object names are limited to 1024 bytes');
  if (/[\r\n]/.test(name))
    throw new StorageHttpError(400, 'Object names must not contain carriage returns or line feeds');
}

/** A name the Firebase API can address: no empty segment, no leading slash. */
export function isValidPath(name: string): boolean {
  return name.length > 0 && !name.startsWith('/') && name.split('/').every((s) => s.length > 0);
}

/** Parses a JSON object body; anything else is a 400. */
export function parseJson(body: Buffer): Record<string, unknown> {
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

/** A non-empty string field of a JSON object, or undefined. */
export function stringField(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Validates client metadata JSON into the store's input; unknown fields (name, size, md5Hash...) are ignored. */
export function metadataInput(o: Record<string, unknown>): ObjectMetadataInput {
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
export function multipartUpload(
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

/** CORS headers for the web SDK's cross-origin calls (the app is served from another port). */
export function cors(req: http.IncomingMessage, res: http.ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/** Answers a CORS preflight. */
export function preflight(req: http.IncomingMessage, res: http.ServerResponse): void {
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
