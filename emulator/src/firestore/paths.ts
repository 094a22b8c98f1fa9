/** Resource names: projects/{p}/databases/{d}/documents/{path}. Validation follows Firestore's limits. */
import { Code, FirestoreError } from './types';

export interface DocName {
  /** projects/{p}/databases/{d} */
  database: string;
  projectId: string;
  /** Segments after /documents/. Even length for documents. */
  segments: string[];
}

const NAME_RE = /^projects\/([^/]+)\/databases\/([^/]+)\/documents(?:\/(.*))?$/;

/** Splits a full name into database and path segments. Throws INVALID_ARGUMENT when malformed. */
export function splitName(name: string): DocName {
  if (typeof name !== 'string') throw new FirestoreError(Code.INVALID_ARGUMENT, 'Resource name must be a string');
  const m = NAME_RE.exec(name);
  if (!m) throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid resource name: ${name.slice(0, 300)}`);
  const [, projectId = '', db = '', rest] = m;
  const segments = rest ? rest.split('/') : [];
  for (const s of segments) validateSegment(s, name);
  return { database: `projects/${projectId}/databases/${db}`, projectId, segments };
}

function validateSegment(s: string, name: string): void {
  if (s === '' || s === '.' || s === '..' || /^__.*__$/.test(s) || Buffer.byteLength(s) > 1500)
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid path segment "${s.slice(0, 100)}" in ${name.slice(0, 300)}`);
}

/** Validates a document name (even number of segments, depth ≤ 100) and returns its parts. */
export function docName(name: string): DocName {
  const n = splitName(name);
  if (n.segments.length === 0 || n.segments.length % 2 !== 0)
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Not a document name: ${name.slice(0, 300)}`);
  if (n.segments.length > 200) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Document path is nested too deeply');
  if (Buffer.byteLength(name) > 6144) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Document name too long');
  return n;
}

/** The parent collection's full name of a document name ("…/documents/a/x" → "…/documents/a"). */
export function collectionOf(name: string): string {
  return name.slice(0, name.lastIndexOf('/'));
}

/** The database of a name ("projects/p/databases/d"). */
export function databaseOf(name: string): string {
  return splitName(name).database;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random 20-character id, as the SDKs generate. */
export function autoId(): string {
  let s = '';
  for (let i = 0; i < 20; i++) s += ID_CHARS[Math.floor(Math.random() * ID_CHARS.length)];
  return s;
}
