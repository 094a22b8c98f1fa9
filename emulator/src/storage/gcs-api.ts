/**
 * The GCS JSON API firebase-admin's bucket uses (@google-cloud/storage with `STORAGE_EMULATOR_HOST`): `/storage/v1`,
 * `/upload/storage/v1`, `/download/storage/v1` and the bare `/b/...` paths. Admin, no rules, as in the official
 * emulator.
 */
import type http from 'node:http';
import {
  decodePart,
  gcsResource,
  header,
  intHeader,
  intParam,
  metadataInput,
  multipartUpload,
  notFound,
  parseJson,
  readBody,
  sendJson,
  sendMedia,
  stringField,
  stripSlash,
  StorageHttpError,
} from './common';
import { asAdmin, type StorageService } from './service';
import { clientOf, type UploadSessions } from './uploads';

/** The GCS API's request handler; resolves false when the path is not one of its own. */
export type GcsApi = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;

/**
 * Builds the GCS JSON API.
 * @param service - the shared core (writes)
 * @param uploads - the resumable upload sessions
 */
export function createGcsApi(service: StorageService, uploads: UploadSessions): GcsApi {
  const { store } = service;
  const baseUrl = (): string => service.origin();

  const gcsApi: GcsApi = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> => {
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
          ...(page.items.length ? { items: page.items.map((i) => gcsResource(i, baseUrl())) } : {}),
          ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        });
        return true;
      }
      switch (req.method) {
        case 'GET': {
          const found = store.read(bucket, name);
          if (!found) throw notFound(bucket, name);
          if (q.get('alt') === 'media') sendMedia(req, res, found.meta, found.bytes);
          else sendJson(res, 200, gcsResource(found.meta, baseUrl()));
          return true;
        }
        case 'PATCH':
        case 'PUT': {
          const meta = await service.patchObject(
            asAdmin(),
            bucket,
            name,
            metadataInput(parseJson(await readBody(req))),
          );
          sendJson(res, 200, gcsResource(meta, baseUrl()));
          return true;
        }
        case 'DELETE':
          await service.deleteObject(asAdmin(), bucket, name);
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
        const admin = asAdmin();
        const s = await uploads.start('gcs', admin, bucket, name, input, {
          declared: intHeader(req, 'x-upload-content-length'),
          client: clientOf(admin, req.socket.remoteAddress),
        });
        const next = new URL(
          `/upload/storage/v1/b/${encodeURIComponent(bucket)}/o`,
          req.headers.host ? `http://${req.headers.host}` : service.origin(),
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
          gcsResource(await service.putObject(asAdmin(), 'gcs', bucket, name, parts.media, input), baseUrl()),
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
            await service.putObject(asAdmin(), 'gcs', bucket, name, body, type ? { contentType: type } : {}),
            baseUrl(),
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
    const s = uploads.get(q.get('upload_id'), bucket);
    const body = await readBody(req);
    const range = header(req, 'content-range');
    const m = range === undefined ? null : /^bytes\s+(?:\*|(\d+)-(\d+|\*))\/(\d+|\*)$/i.exec(range.trim());
    if (range !== undefined && !m) throw new StorageHttpError(400, `Malformed Content-Range "${range}"`);
    const start = m?.[1] === undefined ? undefined : Number(m[1]);
    const endOpen = m?.[2] === '*';
    const total = m?.[3] === undefined || m[3] === '*' ? undefined : Number(m[3]);
    if (!s.result) {
      if (start !== undefined) uploads.append(s, body, start);
      else if (m === null) uploads.append(s, body, undefined);
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
    const result = await uploads.finalize(s, (meta) => gcsResource(meta, baseUrl()));
    return sendJson(res, result.status, result.body);
  };

  return gcsApi;
}
