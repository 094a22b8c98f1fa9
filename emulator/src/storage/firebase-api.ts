/**
 * The Firebase API (`/v0/b/{bucket}/o...`) spoken by the web SDK (`firebase/storage` 12) and by
 * @firebase/rules-unit-testing: every non-admin request is judged by the storage rules. Answers follow firebase-tools'
 * own Storage emulator (lib/emulator/storage/apis/firebase.js) where the SDK depends on them.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import {
  decodePart,
  firebaseResource,
  header,
  intHeader,
  intParam,
  isValidPath,
  MAX_METADATA_BYTES,
  metadataInput,
  multipartUpload,
  notFound,
  parseJson,
  readBody,
  sendJson,
  sendMedia,
  stringField,
  StorageHttpError,
  type StorageRequestContext,
} from './common';
import type { StorageService } from './service';
import { DOWNLOAD_TOKENS_KEY, type ObjectMetadataInput } from './store';
import { clientOf, type UploadSessions } from './uploads';

/** The Firebase API's request handler, for paths under `/v0`. */
export type FirebaseApi = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void>;

/**
 * Builds the Firebase API.
 * @param service - the shared core (rules, writes)
 * @param uploads - the resumable upload sessions
 */
export function createFirebaseApi(service: StorageService, uploads: UploadSessions): FirebaseApi {
  const { store } = service;

  const firebaseApi: FirebaseApi = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> => {
    const m = /^\/v0\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(url.pathname);
    if (!m?.[1]) {
      if (url.pathname === '/v0' || url.pathname === '/v0/') return sendJson(res, 200, { emulator: 'storage' });
      throw new StorageHttpError(404, `No such endpoint: ${req.method ?? ''} ${url.pathname}`);
    }
    const bucket = decodePart(m[1]);
    const object = m[2] === undefined ? undefined : decodePart(m[2]);
    const ctx = service.identify(req.headers.authorization);
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
          await service.authorize({
            ctx,
            bucket,
            path: object,
            method: 'get',
            resource: current,
            requestResource: null,
          });
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
        const meta = await service.patchObject(
          ctx,
          bucket,
          object,
          metadataInput(parseJson(await readBody(req, MAX_METADATA_BYTES))),
        );
        return sendJson(res, 200, firebaseResource(meta));
      }
      case 'DELETE':
        await service.deleteObject(ctx, bucket, object);
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
          const meta = await service.patchObject(ctx, bucket, object, {
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
    await service.authorize({
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
        const body = await readBody(req, MAX_METADATA_BYTES);
        const json = body.length > 0 ? parseJson(body) : {};
        const name = queryName ?? stringField(json, 'name');
        if (!name) throw new StorageHttpError(400, 'Missing object name: pass ?name= or "name" in the metadata');
        const input = metadataInput(json);
        const declaredType = header(req, 'x-goog-upload-header-content-type');
        if (input.contentType === undefined && declaredType) input.contentType = declaredType;
        const s = await uploads.start('firebase', ctx, bucket, name, input, {
          declared: intHeader(req, 'x-goog-upload-header-content-length'),
          client: clientOf(ctx, req.socket.remoteAddress),
        });
        const next = new URL(
          `/v0/b/${encodeURIComponent(bucket)}/o`,
          req.headers.host ? `http://${req.headers.host}` : service.origin(),
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
      const s = uploads.get(q.get('upload_id'), bucket);
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
        uploads.cancel(s);
        res.writeHead(200, { 'X-Goog-Upload-Status': 'cancelled', 'Content-Length': '0' });
        res.end();
        return;
      }
      if (commands.includes('upload')) {
        // A finalize repeated by a client that lost the first answer carries the last chunk again: replay, do not append.
        const replay = s.result !== undefined && commands.includes('finalize');
        const offset = intHeader(req, 'x-goog-upload-offset');
        // Refused before the body is read: a chunk past the declared size is never held.
        if (!replay) uploads.checkChunk(s, offset, intHeader(req, 'content-length'));
        const chunk = await readBody(req);
        if (!replay) uploads.append(s, chunk, offset);
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
      const result = await uploads.finalize(s, firebaseResource);
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
    const meta = await service.putObject(ctx, 'firebase', bucket, name, bytes, input);
    return sendJson(res, 200, firebaseResource(meta));
  };

  return firebaseApi;
}
