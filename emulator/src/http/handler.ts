/**
 * The HTTP/1.1 face of the engine: WebChannel streams and REST unary calls of the browser SDK, the REST API of
 * tools, and the emulator endpoints (`GET /` health, clearing documents, loading rules).
 */
import type http from 'node:http';
import {
  Code,
  FirestoreError,
  type BatchGetRequest,
  type CommitRequest,
  type CommitResponse,
  type Document,
  type Engine,
  type RequestContext,
  type RunAggregationQueryRequest,
  type RunQueryRequest,
  type Write,
} from '../firestore/types';
import { autoId, splitName } from '../firestore/paths';
import { contextFromAuthorization } from '../auth';
import { answerPreflight, applyCors, decodeComponent, decodeObject, readBody, sendError, sendJson } from './codec';
import { WebChannelServer, type WebChannelStats } from './webchannel';

export interface HttpHandlerOptions {
  /**
   * Called with new rules for one project (`PUT /emulator/v1/projects/{projectId}:securityRules`); throwing rejects
   * them (that project keeps its last good rules, and no other project's rules change).
   */
  onRulesUpdate?: (source: string, service: 'firestore' | 'storage', projectId: string) => Promise<void> | void;
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

export type HttpHandler = ((req: http.IncomingMessage, res: http.ServerResponse) => void) & {
  close(): void;
  /** What the WebChannel sessions hold now (sessions, listen targets, unacknowledged bytes). */
  webChannelStats(): WebChannelStats;
};

const CHANNEL = /^\/google\.firestore\.v1\.Firestore\/(Listen|Write)\/channel$/;
const RULES = /^\/emulator\/v1\/projects\/([^/:]+):securityRules$/;
const CLEAR = /^\/emulator\/v1\/projects\/([^/]+)\/databases\/([^/]+)\/documents$/;

/** Creates the request handler mounted by startEmulator. */
export function createHttpHandler(engine: Engine, opts: HttpHandlerOptions = {}): HttpHandler {
  const channels = new WebChannelServer(engine);

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    applyCors(req, res);
    if (req.method === 'OPTIONS') return answerPreflight(req, res);
    const url = parseUrl(req.url);
    const pathname = url.pathname;

    const ch = CHANNEL.exec(pathname);
    if (ch) return channels.handle(ch[1] === 'Listen' ? 'Listen' : 'Write', req, res, url);

    if (pathname === '/' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('Ok');
      return;
    }
    const clear = CLEAR.exec(pathname);
    if (clear && req.method === 'DELETE') {
      engine.clear(decodeComponent(clear[1] ?? ''));
      return sendJson(res, {});
    }
    const rules = RULES.exec(pathname);
    if (rules && req.method === 'PUT') {
      const body = decodeObject<{ rules?: { files?: { content?: string; name?: string }[] } }>(await readBody(req), 'The rules body');
      const source = body.rules?.files?.[0]?.content;
      if (typeof source !== 'string') throw new FirestoreError(Code.INVALID_ARGUMENT, 'Body must be {"rules":{"files":[{"content":...}]}}');
      if (!opts.onRulesUpdate) throw new FirestoreError(Code.UNIMPLEMENTED, 'This engine has no rules evaluator yet');
      await opts.onRulesUpdate(source, 'firestore', rules[1] ?? '');
      return sendJson(res, {});
    }
    if (pathname.startsWith('/v1/')) return rest(engine, req, res, url);
    throw new FirestoreError(Code.NOT_FOUND, `No such endpoint: ${req.method ?? ''} ${pathname}`);
  };

  const handler = ((req: http.IncomingMessage, res: http.ServerResponse) => {
    route(req, res).catch((e: unknown) => {
      opts.log?.('http-error', { method: req.method, url: req.url, error: String(e) });
      sendError(res, e);
    });
  }) as HttpHandler;
  handler.close = () => channels.close();
  handler.webChannelStats = () => channels.stats();
  return handler;
}

/** The request's URL; one that cannot be parsed is INVALID_ARGUMENT (400), not a TypeError (500). */
function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://emulator');
  } catch {
    throw new FirestoreError(Code.INVALID_ARGUMENT, 'Malformed request URL');
  }
}

/** REST: /v1/{name}[:method]. */
async function rest(engine: Engine, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const ctx: RequestContext = contextFromAuthorization(req.headers.authorization);
  const raw = decodeComponent(url.pathname.slice('/v1/'.length));
  const colon = raw.lastIndexOf(':');
  const method = colon > raw.lastIndexOf('/') ? raw.slice(colon + 1) : undefined;
  const name = method ? raw.slice(0, colon) : raw;
  const parsed = splitName(name.endsWith('/documents') || name.includes('/documents/') ? name : `${name}/documents`);
  const database = parsed.database;
  // Every request message is a JSON object: `null`, a list or a bare value is refused here, whatever the method.
  const body = async <T extends object>(): Promise<T> => decodeObject<T>(await readBody(req), `The ${method ?? req.method ?? ''} body`);

  if (method) {
    if (req.method !== 'POST') throw new FirestoreError(Code.INVALID_ARGUMENT, `${method} must be a POST`);
    switch (method) {
      case 'commit':
        return sendJson(res, await engine.commit(ctx, database, await body<CommitRequest>()));
      case 'batchGet':
        return sendJson(res, await engine.batchGet(ctx, database, await body<BatchGetRequest>()));
      case 'runQuery':
        return sendJson(res, await engine.runQuery(ctx, { ...(await body<Omit<RunQueryRequest, 'parent'>>()), parent: name }));
      case 'runAggregationQuery':
        return sendJson(
          res,
          await engine.runAggregationQuery(ctx, { ...(await body<Omit<RunAggregationQueryRequest, 'parent'>>()), parent: name }),
        );
      case 'beginTransaction': {
        const b = await body<{ options?: Parameters<Engine['beginTransaction']>[2] }>();
        return sendJson(res, await engine.beginTransaction(ctx, database, b.options));
      }
      case 'rollback': {
        const b = await body<{ transaction?: string }>();
        if (!b.transaction) throw new FirestoreError(Code.INVALID_ARGUMENT, 'rollback needs a transaction');
        await engine.rollback(ctx, database, b.transaction);
        return sendJson(res, {});
      }
      case 'listCollectionIds':
        return sendJson(res, { collectionIds: await engine.listCollectionIds(ctx, name) });
      default:
        throw new FirestoreError(Code.UNIMPLEMENTED, `Unknown method ${method}`);
    }
  }

  const segments = parsed.segments;
  const isDoc = segments.length > 0 && segments.length % 2 === 0;
  const mask = url.searchParams.getAll('mask.fieldPaths');
  switch (req.method) {
    case 'GET': {
      if (isDoc) return sendJson(res, await engine.getDocument(ctx, name, mask.length ? mask : undefined));
      if (!segments.length) throw new FirestoreError(Code.INVALID_ARGUMENT, 'GET needs a document or collection');
      const collectionId = segments[segments.length - 1] ?? '';
      const parent = name.slice(0, name.length - collectionId.length - 1);
      const pageSize = url.searchParams.get('pageSize');
      const pageToken = url.searchParams.get('pageToken');
      return sendJson(
        res,
        await engine.listDocuments(ctx, parent, collectionId, {
          ...(pageSize ? { pageSize: Number(pageSize) } : {}),
          ...(pageToken ? { pageToken } : {}),
          showMissing: url.searchParams.get('showMissing') === 'true',
          ...(mask.length ? { mask } : {}),
        }),
      );
    }
    case 'PATCH': {
      if (!isDoc) throw new FirestoreError(Code.INVALID_ARGUMENT, 'PATCH needs a document name');
      const doc = await body<Partial<Document>>();
      const write: Write = { update: { name, fields: doc.fields ?? {} } };
      const fieldPaths = url.searchParams.getAll('updateMask.fieldPaths');
      if (fieldPaths.length) write.updateMask = { fieldPaths };
      const exists = url.searchParams.get('currentDocument.exists');
      if (exists !== null) write.currentDocument = { exists: exists === 'true' };
      const written = await engine.commit(ctx, database, { writes: [write] });
      return sendJson(res, await documentAfterWrite(engine, ctx, name, write.update?.fields ?? {}, written));
    }
    case 'DELETE': {
      if (!isDoc) throw new FirestoreError(Code.INVALID_ARGUMENT, 'DELETE needs a document name');
      const write: Write = { delete: name };
      const exists = url.searchParams.get('currentDocument.exists');
      if (exists !== null) write.currentDocument = { exists: exists === 'true' };
      await engine.commit(ctx, database, { writes: [write] });
      return sendJson(res, {});
    }
    case 'POST': {
      // createDocument: POST /v1/{parent}/{collectionId}?documentId=
      if (isDoc || !segments.length) throw new FirestoreError(Code.INVALID_ARGUMENT, 'POST needs a collection');
      const id = url.searchParams.get('documentId') || autoId();
      const docName = `${name}/${id}`;
      const doc = await body<Partial<Document>>();
      const fields = doc.fields ?? {};
      const written = await engine.commit(ctx, database, { writes: [{ update: { name: docName, fields }, currentDocument: { exists: false } }] });
      return sendJson(res, await documentAfterWrite(engine, ctx, docName, fields, written));
    }
    default:
      throw new FirestoreError(Code.UNIMPLEMENTED, `Unsupported method ${req.method ?? ''}`);
  }
}

/**
 * The document a REST PATCH or createDocument answers with, as the caller may see it. Rules may allow a write
 * without a read (a drop box, an append-only log), and a masked update leaves fields the caller never sent: reading
 * the result as admin would hand those over. A caller who may read the document gets it; one who may not gets back
 * only what they wrote.
 * @param engine - the engine
 * @param ctx - the caller
 * @param name - the document written
 * @param fields - the fields the request carried
 * @param written - the commit's answer (its update time)
 */
async function documentAfterWrite(
  engine: Engine,
  ctx: RequestContext,
  name: string,
  fields: NonNullable<Document['fields']>,
  written: CommitResponse,
): Promise<Partial<Document>> {
  try {
    return await engine.getDocument(ctx, name);
  } catch (e) {
    if (!(e instanceof FirestoreError) || e.code !== Code.PERMISSION_DENIED) throw e;
    return { name, fields, updateTime: written.writeResults[0]?.updateTime ?? written.commitTime };
  }
}
