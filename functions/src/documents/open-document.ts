/**
 * openDocument: the only way to read a registered clinic file. An HTTPS function, not a callable: it answers with the
 * file's bytes, which a callable cannot, and the emulator cannot sign a short-lived URL honestly. The caller sends
 * `GET …/openDocument?clinicId=…&patientUid=…&documentId=…` with `Authorization: Bearer <Firebase ID token>`; the
 * token is verified (revoked ones refused), access is decided from the grant documents (the clinic team, or the portal
 * patient for a document flagged visibleToPatient), the read is audited as `document.read` before a byte is sent, and
 * the file goes out as an attachment that no cache keeps. A non-member learns nothing: a missing document and a foreign
 * one both answer 403.
 */
import { randomUUID } from 'node:crypto';
import type { Auth } from 'firebase-admin/auth';
import type { Firestore } from 'firebase-admin/firestore';
import type { Request, Response } from 'firebase-functions/v2/https';
import { openDocumentRequestSchema, paths, patientDocumentSchema, type OpenDocumentRequest } from '@telesalud/domain';
import { auditRoleOf, countAnonymousRefusal, writeAudit } from '../audit';
import { rolesOf } from '../callables/define-callable';
import { logs } from '../logs';
import type { FileStore } from '../storage/files';
import { fileAccessOf } from './access';

export interface OpenDocumentDeps {
  db: Firestore;
  auth: Pick<Auth, 'verifyIdToken'>;
  files: FileStore;
}

/** The parts of the HTTP request the handler reads. */
export interface OpenDocumentInput {
  method: string;
  authorization: string | undefined;
  /** The parsed query string (values may be arrays or objects when a client repeats or nests keys). */
  query: unknown;
}

/** What to answer: the file, or a JSON error in the callable wire format's shape. */
export interface OpenDocumentReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'INVALID_ARGUMENT',
  500: 'INTERNAL',
};

function errorReply(status: number, message: string, extra: Record<string, string> = {}): OpenDocumentReply {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
    body: JSON.stringify({ error: { status: STATUS_NAMES[status] ?? 'UNKNOWN', message } }),
  };
}

/** The request's ids, or null unless the query is exactly one string per key of the schema. */
function idsOf(query: unknown): OpenDocumentRequest | null {
  if (typeof query !== 'object' || query === null) return null;
  const entries = Object.entries(query);
  if (!entries.every(([, v]) => typeof v === 'string')) return null;
  const parsed = openDocumentRequestSchema.safeParse(Object.fromEntries(entries));
  return parsed.success ? parsed.data : null;
}

/** The Firebase error code of an Auth failure ('auth/id-token-revoked'…), or undefined for any other error. */
function authErrorCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
  return typeof code === 'string' && code.startsWith('auth/') ? code : undefined;
}

/**
 * The plain handler.
 * @param input - method, Authorization header and query
 * @param deps - admin Firestore, Auth and the bucket's files
 */
export async function handleOpenDocument(input: OpenDocumentInput, deps: OpenDocumentDeps): Promise<OpenDocumentReply> {
  const requestId = randomUUID();
  const refuse = (status: number, reason: string, uid: string | null, message: string): OpenDocumentReply => {
    logs.documentOpenRefused(status, reason, uid, requestId);
    return errorReply(status, message);
  };
  if (input.method !== 'GET') return errorReply(405, 'Use GET.', { Allow: 'GET' });
  const token = /^Bearer (\S+)$/.exec(input.authorization ?? '')?.[1];
  if (token === undefined) {
    await countAnonymousRefusal(deps.db, 'openDocument', 'signed-out', requestId);
    return refuse(401, 'signed-out', null, 'Sign in first.');
  }
  let uid: string;
  let roles: ReturnType<typeof rolesOf>;
  try {
    const decoded = await deps.auth.verifyIdToken(token, true);
    uid = decoded.uid;
    roles = rolesOf(decoded);
  } catch (e) {
    const code = authErrorCode(e);
    if (code === undefined) throw e;
    await countAnonymousRefusal(deps.db, 'openDocument', 'bad-token', requestId);
    return refuse(401, code, null, 'Sign in again.');
  }
  const ids = idsOf(input.query);
  if (!ids) return refuse(400, 'bad-query', uid, 'Expected clinicId, patientUid and documentId, once each.');

  const docRef = deps.db.doc(paths.patientDocument(ids.clinicId, ids.patientUid, ids.documentId));
  const [access, snap] = await Promise.all([fileAccessOf(deps.db, ids.clinicId, ids.patientUid, { uid, roles }), docRef.get()]);
  const audit = (outcome: 'allowed' | 'denied', reason?: string) =>
    writeAudit(deps.db, {
      who: uid,
      role: auditRoleOf(uid, roles),
      action: 'document.read',
      target: docRef.path,
      outcome,
      requestId,
      ...(reason !== undefined ? { reason } : {}),
    });
  const parsed = snap.exists ? patientDocumentSchema.safeParse(snap.data()) : null;
  // A stored document that breaks its schema is our bug: internal, and in the logs.
  if (parsed && !parsed.success) throw new Error(`invalid patient document ${docRef.path}`);
  const document = parsed?.data;
  const allowed = access.team || (access.portal && document?.visibleToPatient === true);
  if (!allowed) {
    await audit('denied', access.portal ? 'not-visible-to-patient' : 'no-access');
    return refuse(403, 'no-access', uid, 'You cannot open this document.');
  }
  if (!document) return refuse(404, 'no-document', uid, 'There is no such document.');

  // Audited before a byte leaves: a read that cannot be recorded does not happen.
  await audit('allowed');
  const bytes = await deps.files.read(document.storagePath);
  logs.documentOpened(docRef.path, uid, requestId);
  const fileName = document.storagePath.slice(document.storagePath.lastIndexOf('/') + 1);
  return {
    status: 200,
    headers: {
      'Content-Type': document.contentType,
      'Content-Length': String(bytes.length),
      // attachment: the browser saves it instead of rendering it in our origin (a clinic may upload any allowed type).
      'Content-Disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
    body: bytes,
  };
}

/**
 * The onRequest adapter: express request in, reply out. Failures answer 500 with a safe message; details go to logs.
 * @param req - the request
 * @param res - the response
 * @param deps - admin Firestore, Auth and the bucket's files
 */
export async function serveOpenDocument(req: Request, res: Response, deps: OpenDocumentDeps): Promise<void> {
  let reply: OpenDocumentReply;
  try {
    reply = await handleOpenDocument({ method: req.method, authorization: req.header('authorization'), query: req.query }, deps);
  } catch (e) {
    const requestId = randomUUID();
    logs.documentOpenFailed(requestId, e);
    reply = errorReply(500, 'Something went wrong on our side. Please try again.');
  }
  res.status(reply.status).set(reply.headers).send(reply.body);
}
