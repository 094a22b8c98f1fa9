/**
 * The core both object APIs share: identity, the rules check, and the writes (each fires its trigger). The Firebase
 * API passes the caller's identity, the GCS JSON API an admin one; rules are judged here for every non-admin caller.
 */
import { randomUUID } from 'node:crypto';
import { contextFromAuthorization } from '../auth';
import { FirestoreError } from '../firestore/types';
import {
  checkName,
  gcsResource,
  notFound,
  StorageHttpError,
  type StorageAuthRequest,
  type StorageRequestContext,
} from './common';
import type { StorageServerOptions } from './server';
import { DOWNLOAD_TOKENS_KEY, type ObjectMetadataInput, type ObjectStore, type StoredObjectMetadata } from './store';
import type { TriggerQueue } from './triggers';

/** Which API wrote an object: Firebase uploads get a download token and a disposition, GCS ones do not. */
export type Api = 'firebase' | 'gcs';

/** What the API handlers share: the store, the rules check and the writes. */
export interface StorageService {
  store: ObjectStore;
  /** This emulator's origin (`http://host:port`), known once listening; for selfLink, mediaLink and upload URLs. */
  origin(): string;
  /** The caller of an `Authorization` header (none, "Firebase <token>" or "Bearer <token>"). */
  identify(header: string | undefined): StorageRequestContext;
  /** Throws a 403 unless the rules allow the request (admin always passes). */
  authorize(q: StorageAuthRequest): Promise<void>;
  /**
   * Judges an upload before its bytes arrive (a resumable upload's start), from the metadata and the size declared:
   * `request.resource` is the object to be, with that size (its hashes are not known yet and are empty).
   */
  authorizeUpload(
    ctx: StorageRequestContext,
    api: Api,
    bucket: string,
    name: string,
    input: ObjectMetadataInput,
    size: number,
  ): Promise<void>;
  putObject(
    ctx: StorageRequestContext,
    api: Api,
    bucket: string,
    name: string,
    bytes: Buffer,
    input: ObjectMetadataInput,
  ): Promise<StoredObjectMetadata>;
  patchObject(
    ctx: StorageRequestContext,
    bucket: string,
    name: string,
    patch: ObjectMetadataInput,
  ): Promise<StoredObjectMetadata>;
  deleteObject(ctx: StorageRequestContext, bucket: string, name: string): Promise<void>;
  log: StorageServerOptions['log'];
}

/** The identity of firebase-admin's calls through the GCS JSON API: admin, no rules, as in the official emulator. */
export function asAdmin(): StorageRequestContext {
  return { admin: true, auth: null, requestId: randomUUID() };
}

/**
 * The metadata an upload writes: Firebase uploads get a download token and an inline disposition naming the file,
 * as in production; GCS uploads are written as sent.
 */
function writeOf(api: Api, name: string, input: ObjectMetadataInput): ObjectMetadataInput {
  if (api !== 'firebase') return input;
  const custom = { ...(input.metadata ?? {}) };
  if (typeof custom[DOWNLOAD_TOKENS_KEY] !== 'string') custom[DOWNLOAD_TOKENS_KEY] = randomUUID();
  const fileName = name.slice(name.lastIndexOf('/') + 1);
  return {
    ...input,
    metadata: custom,
    ...(input.contentDisposition === undefined
      ? { contentDisposition: `inline; filename*=utf-8''${encodeURIComponent(fileName)}` }
      : {}),
  };
}

/**
 * Builds the shared core.
 * @param opts - the server's options (rules hook, log)
 * @param store - the object store
 * @param triggers - the queue of trigger deliveries
 * @param origin - this emulator's origin, once known
 */
export function createStorageService(
  opts: StorageServerOptions,
  store: ObjectStore,
  triggers: TriggerQueue,
  origin: () => string,
): StorageService {
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

  /**
   * Judges a write of `name` that leaves it as `after` (null for a delete): `method`, or, without one, a create or an
   * update of the object there now.
   */
  const authorizeWrite = async (
    ctx: StorageRequestContext,
    bucket: string,
    name: string,
    after: StoredObjectMetadata | null,
    method?: 'update' | 'delete',
  ): Promise<void> => {
    const existing = store.get(bucket, name);
    const judged = method ?? (existing ? 'update' : 'create');
    await authorize({ ctx, bucket, path: name, method: judged, resource: existing, requestResource: after });
  };

  const putObject: StorageService['putObject'] = async (ctx, api, bucket, name, bytes, input) => {
    checkName(name);
    const write = writeOf(api, name, input);
    await authorizeWrite(ctx, bucket, name, store.preview(bucket, name, bytes, write));
    const { meta } = store.put(bucket, name, bytes, write);
    opts.log?.('storage-object-written', {
      requestId: ctx.requestId,
      bucket,
      name,
      size: meta.size,
      generation: meta.generation,
    });
    triggers.enqueue('finalized', gcsResource(meta, origin()), meta.updated);
    return meta;
  };

  const authorizeUpload: StorageService['authorizeUpload'] = async (ctx, api, bucket, name, input, size) => {
    checkName(name);
    await authorizeWrite(ctx, bucket, name, store.previewDeclared(bucket, name, size, writeOf(api, name, input)));
  };

  const patchObject: StorageService['patchObject'] = async (ctx, bucket, name, patch) => {
    const existing = store.get(bucket, name);
    await authorizeWrite(ctx, bucket, name, existing ? store.previewPatch(existing, patch) : null, 'update');
    const meta = store.patch(bucket, name, patch);
    if (!meta) throw notFound(bucket, name);
    triggers.enqueue('metadataUpdated', gcsResource(meta, origin()), meta.updated);
    return meta;
  };

  const deleteObject: StorageService['deleteObject'] = async (ctx, bucket, name) => {
    await authorizeWrite(ctx, bucket, name, null, 'delete');
    const gone = store.delete(bucket, name);
    if (!gone) throw notFound(bucket, name);
    opts.log?.('storage-object-deleted', { requestId: ctx.requestId, bucket, name });
    triggers.enqueue('deleted', gcsResource(gone, origin()), new Date().toISOString());
  };

  return { store, origin, identify, authorize, authorizeUpload, putObject, patchObject, deleteObject, log: opts.log };
}
