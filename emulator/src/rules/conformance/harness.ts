/**
 * Helpers for the rules conformance tables: documents and requests written as plain JS, an in-memory store that
 * backs get()/exists(), and one `judge()` that sends a row through the deployed code paths (FirestoreRules'
 * authorizer for Firestore, StorageRules for Storage) and answers allow or deny.
 */
import {
  Code,
  FirestoreError,
  type Document,
  type FieldFilterOp,
  type Filter,
  type StructuredQuery,
  type Value,
} from '../../firestore/types';
import type { Method } from '../ast';
import type { StoredObjectMetadata } from '../../storage/store';
import { NormalQuery } from '../../firestore/normalize';
import { FirestoreRules } from '../firestore';
import { RulesCompileError } from '../parser';
import { StorageRules } from '../storage';

export const PROJECT = 'demo';
export const DB = `projects/${PROJECT}/databases/(default)`;
export const BUCKET = 'demo.appspot.com';
/** request.time of writes unless a row says otherwise (microsecond precision, as Firestore commits). */
export const COMMIT_TIME = '2025-06-01T12:00:00.123456Z';

export type Data = Record<string, unknown>;
export type Outcome = 'allow' | 'deny';

/** A stored value that plain JS cannot say (a double with an integral value, a timestamp string, a reference…). */
export class Raw {
  constructor(readonly value: Value) {}
}

/** A double even when integral (JS numbers that are integers are stored as integerValue). */
export const dbl = (n: number): Raw => new Raw({ doubleValue: n });
/** A Firestore timestamp from an RFC 3339 string (keeps micro/nanoseconds, unlike Date). */
export const ts = (iso: string): Raw => new Raw({ timestampValue: iso });
export const geo = (latitude: number, longitude: number): Raw => new Raw({ geoPointValue: { latitude, longitude } });
/** A reference to a document path below `documents/`. */
export const ref = (path: string): Raw => new Raw({ referenceValue: `${DB}/documents/${path}` });
export const bytes = (buf: Uint8Array): Raw => new Raw({ bytesValue: Buffer.from(buf).toString('base64') });

/**
 * Converts plain JS to a Firestore value: integral numbers become integerValue, other numbers doubleValue,
 * Dates timestampValue, arrays and objects arrayValue and mapValue.
 * @param v - the JS value (or a Raw for values JS cannot express)
 */
export function toValue(v: unknown): Value {
  if (v instanceof Raw) return v.value;
  if (v === null || v === undefined) return { nullValue: null };
  if (typeof v === 'boolean') return { booleanValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'bigint') return { integerValue: v.toString() };
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { integerValue: String(v) } : { doubleValue: v };
  if (v instanceof Date) return { timestampValue: v.toISOString() };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(toValue) } };
  if (typeof v === 'object') return { mapValue: { fields: toFields(v as Data) } };
  throw new TypeError(`Cannot store ${String(v)}`);
}

function toFields(data: Data): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, x] of Object.entries(data)) out[k] = toValue(x);
  return out;
}

/** `users/u1` → `projects/demo/databases/(default)/documents/users/u1`. */
export const docName = (path: string): string => `${DB}/documents/${path}`;

/**
 * A stored document built from a JS object.
 * @param path - below `documents/`, e.g. `users/u1`
 * @param data - the fields as plain JS
 */
export function doc(path: string, data: Data): Document {
  return {
    name: docName(path),
    fields: toFields(data),
    createTime: '2025-01-01T00:00:00Z',
    updateTime: '2025-01-01T00:00:00Z',
  };
}

/** Documents by path (below `documents/`), read by the rules' get()/exists() and by the authorizer. */
export class MemoryStore {
  private readonly docs = new Map<string, Document>();

  constructor(initial: Record<string, Data> = {}) {
    for (const [p, d] of Object.entries(initial)) this.set(p, d);
  }

  set(path: string, data: Data): void {
    this.docs.set(docName(path), doc(path, data));
  }

  /** By full resource name, as FirestoreRules asks. */
  read(name: string): Document | null {
    return this.docs.get(name) ?? null;
  }

  byPath(path: string): Document | null {
    return this.read(docName(path));
  }
}

/** A signed-in user: the decoded ID token the way Firebase Auth fills it, plus custom claims. */
export interface Auth {
  uid: string;
  token: Record<string, unknown>;
}

/**
 * A signed-in user with the standard token fields and any custom claims on top.
 * @param uid - the user id (also `sub`)
 * @param claims - custom claims or overrides of standard fields
 */
export function user(uid: string, claims: Data = {}): Auth {
  return {
    uid,
    token: {
      sub: uid,
      user_id: uid,
      email: `${uid}@example.com`,
      email_verified: true,
      firebase: { sign_in_provider: 'password', identities: { email: [`${uid}@example.com`] } },
      ...claims,
    },
  };
}

/** One write of a commit. `after: null` deletes; `patch` merges into the stored document (an update). */
export type WriteSpec = { path: string; after: Data | null } | { path: string; patch: Data; remove?: string[] };

export interface StorageObject {
  size: number;
  contentType?: string;
  metadata?: Record<string, string>;
}

export type Req =
  /** A document read of `path` (below `documents/`); `resource` is the stored document. */
  | { get: string }
  /** A query on the collection at `list` (e.g. `posts`, `users/u1/posts`), or a collection group when `group`. */
  | { list: string; group?: boolean; where?: Filter; limit?: number; offset?: number; orderBy?: string[] }
  /** One commit of several writes, judged together. */
  | { writes: WriteSpec[]; time?: string }
  /** A Storage request on the object at `storage` (e.g. `images/a.png`). */
  | { storage: string; method: Method; resource?: StorageObject | null; incoming?: StorageObject | null };

export interface Row {
  name: string;
  rules: string;
  req: Req;
  expect: Outcome;
  auth?: Auth | null;
  store?: Record<string, Data>;
  /**
   * The docs forbid the construct without saying whether the compiler or the evaluator refuses it: a rules
   * file that does not compile counts as a deny for this row.
   */
  denyMayBeCompileError?: boolean;
  /**
   * The documented behaviour our engine does not have yet, in code this suite may not change: the row runs as an
   * expected failure (it.fails) naming the proposed fix, and starts failing once the engine is fixed.
   */
  knownGap?: string;
}

/** A bad rules file and where its first error must be reported. */
export interface CompileErrorRow {
  name: string;
  rules: string;
  /** The offending text: the error must point at its first occurrence (plus `offset` characters); null: end of file. */
  at: string | null;
  offset?: number;
  /** A word the message must contain (case-insensitive). */
  mentions?: string;
}

/**
 * Line and column (1-based) of a compile error row's expected position.
 * @param row - the row
 */
export function expectedPosition(row: CompileErrorRow): { line: number; column: number } {
  const index = row.at === null ? row.rules.length : row.rules.indexOf(row.at) + (row.offset ?? 0);
  if (row.at !== null && row.rules.indexOf(row.at) < 0)
    throw new Error(`Row '${row.name}': '${row.at}' is not in its rules`);
  const before = row.rules.slice(0, index).split('\n');
  return { line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
}

// ---- rules builders ---------------------------------------------------------------------------------------

/**
 * A Firestore rules file around match blocks written relative to `/databases/{database}/documents`.
 * @param body - the match blocks
 * @param version - rules_version, or null to leave it out (version 1)
 */
export function firestoreRules(body: string, version: '1' | '2' | null = '2'): string {
  const head = version ? `rules_version = '${version}';\n` : '';
  return `${head}service cloud.firestore {\n  match /databases/{database}/documents {\n${body}\n  }\n}\n`;
}

/** A Storage rules file around match blocks written relative to `/b/{bucket}/o`. */
export function storageRules(body: string, version: '1' | '2' | null = '2'): string {
  const head = version ? `rules_version = '${version}';\n` : '';
  return `${head}service firebase.storage {\n  match /b/{bucket}/o {\n${body}\n  }\n}\n`;
}

/** The document every expression row reads: `t/doc1` with these fields. */
export const SAMPLE: Data = {
  n: 5,
  f: 1.5,
  s: 'abc',
  b: true,
  nul: null,
  list: [1, 2, 3],
  m: { k: 'v', inner: { x: 1 } },
  whole: dbl(2),
  when: ts('2024-03-15T10:20:30.123456Z'),
  place: geo(40.4, -3.7),
  owner: ref('users/alice'),
  raw: bytes(new Uint8Array([1, 2, 3])),
  nan: dbl(Number.NaN),
  inf: dbl(Number.POSITIVE_INFINITY),
};

/**
 * A row judging `allow get: if <condition>` on `t/doc1`, whose stored fields are SAMPLE unless given.
 * @param name - the row name
 * @param condition - the rules expression
 * @param expect - allow or deny
 * @param opts - the signed-in user and the document's fields
 */
export function cond(
  name: string,
  condition: string,
  expect: Outcome,
  opts: { auth?: Auth | null; data?: Data } = {},
): Row {
  return {
    name,
    rules: firestoreRules(`    match /t/{id} {\n      allow get: if ${condition};\n    }`),
    req: { get: 't/doc1' },
    expect,
    auth: opts.auth ?? null,
    store: { 't/doc1': opts.data ?? SAMPLE },
  };
}

// ---- query builders ---------------------------------------------------------------------------------------

export function where(field: string, op: FieldFilterOp, value: unknown): Filter {
  return { fieldFilter: { field: { fieldPath: field }, op, value: toValue(value) } };
}

export function isNull(field: string): Filter {
  return { unaryFilter: { op: 'IS_NULL', field: { fieldPath: field } } };
}

export function and(...filters: Filter[]): Filter {
  return { compositeFilter: { op: 'AND', filters } };
}

export function or(...filters: Filter[]): Filter {
  return { compositeFilter: { op: 'OR', filters } };
}

// ---- judging ----------------------------------------------------------------------------------------------

export interface Verdict {
  outcome: Outcome;
  reason: string;
}

function denied(e: unknown): Verdict | null {
  if (e instanceof FirestoreError && e.code === Code.PERMISSION_DENIED) return { outcome: 'deny', reason: e.message };
  return null;
}

function methodOf(before: Data | null, after: Data | null): 'create' | 'update' | 'delete' {
  if (!after) return 'delete';
  return before ? 'update' : 'create';
}

/**
 * Judges a row the way the engine would: Firestore rows through FirestoreRules.authorizer(), Storage rows through
 * StorageRules.judge() with firestore.get()/exists() reading the row's store.
 * @param row - rules, request and actor
 * @throws RulesCompileError when the rules do not compile (unless the row accepts that as a deny)
 */
export async function judge(row: Row): Promise<Verdict> {
  try {
    return 'storage' in row.req ? judgeStorage(row, row.req) : await judgeFirestore(row);
  } catch (e) {
    if (e instanceof RulesCompileError && row.denyMayBeCompileError)
      return { outcome: 'deny', reason: `does not compile: ${e.message}` };
    throw e;
  }
}

async function judgeFirestore(row: Row): Promise<Verdict> {
  const store = new MemoryStore(row.store);
  const rules = new FirestoreRules({ read: (name) => store.read(name) });
  rules.load(row.rules);
  const authz = rules.authorizer();
  const ctx = { admin: false, auth: row.auth ?? null };
  const req = row.req;
  try {
    if ('get' in req) {
      await authz.authorizeGet(ctx, docName(req.get), store.byPath(req.get));
    } else if ('list' in req) {
      const parts = req.list.split('/');
      const collectionId = parts.pop() ?? '';
      const parent = [`${DB}/documents`, ...parts].join('/');
      const query: StructuredQuery = { from: [{ collectionId, ...(req.group ? { allDescendants: true } : {}) }] };
      if (req.where) query.where = req.where;
      if (req.limit !== undefined) query.limit = req.limit;
      if (req.offset !== undefined) query.offset = req.offset;
      if (req.orderBy)
        query.orderBy = req.orderBy.map((fieldPath) => ({ field: { fieldPath }, direction: 'ASCENDING' }));
      await authz.authorizeList(ctx, NormalQuery.parse(parent, query));
    } else if ('writes' in req) {
      const after = new Map<string, Document | null>();
      const changes = req.writes.map((w) => {
        const beforeDoc = store.byPath(w.path);
        const beforeData = beforeDoc ? storedData(row, w.path) : null;
        let afterData: Data | null;
        if ('patch' in w) {
          if (!beforeData) throw new Error(`Row '${row.name}': patch of missing document ${w.path}`);
          const removed = new Set(w.remove ?? []);
          afterData = Object.fromEntries(
            Object.entries({ ...beforeData, ...w.patch }).filter(([k]) => !removed.has(k)),
          );
        } else afterData = w.after;
        const afterDoc = afterData ? doc(w.path, afterData) : null;
        after.set(docName(w.path), afterDoc);
        return { name: docName(w.path), method: methodOf(beforeData, afterData), before: beforeDoc, after: afterDoc };
      });
      const readAfter = (name: string): Document | null =>
        after.has(name) ? (after.get(name) ?? null) : store.read(name);
      await authz.authorizeWrites(ctx, DB, changes, readAfter, req.time ?? COMMIT_TIME);
    }
    return { outcome: 'allow', reason: 'allowed' };
  } catch (e) {
    const v = denied(e);
    if (v) return v;
    throw e;
  }
}

function storedData(row: Row, path: string): Data | null {
  return row.store?.[path] ?? null;
}

function storageObject(path: string, o: StorageObject): StoredObjectMetadata {
  return {
    bucket: BUCKET,
    name: path,
    generation: 1735689600000000,
    metageneration: 1,
    size: o.size,
    contentType: o.contentType ?? 'application/octet-stream',
    md5Hash: '1B2M2Y8AsgTpgAmY7PhCfg==',
    crc32c: 'AAAAAA==',
    timeCreated: '2025-01-01T00:00:00.000Z',
    updated: '2025-01-01T00:00:00.000Z',
    metadata: o.metadata ?? {},
    downloadTokens: [],
  };
}

function judgeStorage(row: Row, req: Extract<Req, { storage: string }>): Verdict {
  const store = new MemoryStore(row.store);
  const rules = new StorageRules({ readDocument: (name) => store.read(name), projectId: PROJECT });
  rules.load(row.rules);
  const decision = rules.judge({
    ctx: { admin: false, auth: row.auth ?? null, requestId: row.name },
    bucket: BUCKET,
    path: req.storage,
    method: req.method,
    resource: req.resource ? storageObject(req.storage, req.resource) : null,
    requestResource: req.incoming ? storageObject(req.storage, req.incoming) : null,
  });
  return { outcome: decision.allowed ? 'allow' : 'deny', reason: decision.reason };
}
