/**
 * The engine's contract: the wire-neutral shapes every transport (WebChannel, REST, gRPC) translates to and from,
 * and the interface of the engine itself.
 *
 * Shapes follow google.firestore.v1 in proto3 JSON form (camelCase names, int64 as decimal strings,
 * bytes as base64 strings, timestamps as RFC 3339 strings), with one deliberate difference: `doubleValue`
 * is always a JS number internally (NaN and ±Infinity included). The JSON codec turns "NaN"/"Infinity"
 * strings into numbers on the way in and back on the way out; the gRPC codec turns Timestamp messages
 * ({seconds, nanos}) into RFC 3339 strings and Buffers into base64.
 */
import type { NormalQuery } from './normalize';

/** A Firestore value: exactly one of these keys is set. */
export type Value =
  | { nullValue: null }
  | { booleanValue: boolean }
  | { integerValue: string }
  | { doubleValue: number }
  | { timestampValue: string }
  | { stringValue: string }
  | { bytesValue: string }
  | { referenceValue: string }
  | { geoPointValue: { latitude: number; longitude: number } }
  | { arrayValue: { values?: Value[] } }
  | { mapValue: { fields?: Record<string, Value> } };

export type Fields = Record<string, Value>;

/** A stored document. `name` is the full resource name: projects/{p}/databases/{d}/documents/{path}. */
export interface Document {
  name: string;
  fields: Fields;
  createTime: string;
  updateTime: string;
}

export interface Precondition {
  exists?: boolean;
  updateTime?: string;
}

export type ServerValue = 'REQUEST_TIME';

export interface FieldTransform {
  fieldPath: string;
  setToServerValue?: ServerValue;
  increment?: Value;
  maximum?: Value;
  minimum?: Value;
  appendMissingElements?: { values?: Value[] };
  removeAllFromArray?: { values?: Value[] };
}

/** One write of a commit: exactly one of update / delete / transform (legacy) / verify. */
export interface Write {
  update?: { name: string; fields?: Fields };
  delete?: string;
  verify?: string;
  transform?: { document: string; fieldTransforms?: FieldTransform[] };
  updateMask?: { fieldPaths?: string[] };
  updateTransforms?: FieldTransform[];
  currentDocument?: Precondition;
}

export interface WriteResult {
  updateTime?: string;
  transformResults?: Value[];
}

export interface CommitRequest {
  writes?: Write[];
  /** base64 transaction id from beginTransaction (admin / Node SDKs); absent for web SDK transactions. */
  transaction?: string;
}

export interface CommitResponse {
  writeResults: WriteResult[];
  commitTime: string;
}

export interface TransactionOptions {
  readOnly?: { readTime?: string };
  readWrite?: { retryTransaction?: string };
}

export interface BatchGetRequest {
  documents: string[];
  mask?: { fieldPaths?: string[] };
  transaction?: string;
  newTransaction?: TransactionOptions;
  readTime?: string;
}

export interface BatchGetResponse {
  found?: Document;
  missing?: string;
  transaction?: string;
  readTime: string;
}

export type FieldFilterOp =
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL'
  | 'EQUAL'
  | 'NOT_EQUAL'
  | 'ARRAY_CONTAINS'
  | 'IN'
  | 'ARRAY_CONTAINS_ANY'
  | 'NOT_IN';

export type UnaryFilterOp = 'IS_NAN' | 'IS_NULL' | 'IS_NOT_NAN' | 'IS_NOT_NULL';

export interface FieldReference {
  fieldPath: string;
}

export interface Filter {
  compositeFilter?: { op: 'AND' | 'OR'; filters: Filter[] };
  fieldFilter?: { field: FieldReference; op: FieldFilterOp; value: Value };
  unaryFilter?: { op: UnaryFilterOp; field: FieldReference };
}

export interface Order {
  field: FieldReference;
  direction?: 'ASCENDING' | 'DESCENDING';
}

export interface Cursor {
  values: Value[];
  before?: boolean;
}

export interface StructuredQuery {
  select?: { fields?: FieldReference[] };
  from?: { collectionId: string; allDescendants?: boolean }[];
  where?: Filter;
  orderBy?: Order[];
  startAt?: Cursor;
  endAt?: Cursor;
  offset?: number;
  /** proto3 JSON sends Int32Value as a plain number; gRPC codec unwraps {value}. */
  limit?: number;
}

export interface RunQueryRequest {
  /** Full parent name: projects/{p}/databases/{d}/documents[/{doc path}]. */
  parent: string;
  structuredQuery: StructuredQuery;
  transaction?: string;
  newTransaction?: TransactionOptions;
  readTime?: string;
}

export interface RunQueryResponse {
  document?: Document;
  transaction?: string;
  readTime: string;
  skippedResults?: number;
  done?: boolean;
}

export interface Aggregation {
  alias?: string;
  count?: { upTo?: string | number };
  sum?: { field: FieldReference };
  avg?: { field: FieldReference };
}

export interface RunAggregationQueryRequest {
  parent: string;
  structuredAggregationQuery: { structuredQuery: StructuredQuery; aggregations: Aggregation[] };
  transaction?: string;
  newTransaction?: TransactionOptions;
  readTime?: string;
}

export interface RunAggregationQueryResponse {
  result?: { aggregateFields: Record<string, Value> };
  transaction?: string;
  readTime: string;
}

/** A Listen target as the SDKs send it. */
export interface Target {
  targetId: number;
  query?: { parent: string; structuredQuery: StructuredQuery };
  documents?: { documents: string[] };
  resumeToken?: string;
  readTime?: string;
  once?: boolean;
  expectedCount?: number;
}

export type TargetChangeType = 'NO_CHANGE' | 'ADD' | 'REMOVE' | 'CURRENT' | 'RESET';

/** google.firestore.v1.ListenResponse, one of its fields set. */
export interface ListenResponse {
  targetChange?: {
    targetChangeType: TargetChangeType;
    targetIds?: number[];
    cause?: RpcStatus;
    resumeToken?: string;
    readTime?: string;
  };
  documentChange?: { document: Document; targetIds?: number[]; removedTargetIds?: number[] };
  documentDelete?: { document: string; removedTargetIds?: number[]; readTime: string };
  documentRemove?: { document: string; removedTargetIds?: number[]; readTime: string };
  filter?: { targetId: number; count: number };
}

/** gRPC canonical codes, the ones the SDKs map to FirestoreError codes. */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type CodeNumber = (typeof Code)[keyof typeof Code];
export const CODE_NAMES: Record<CodeNumber, string> = Object.fromEntries(
  Object.entries(Code).map(([k, v]) => [v, k]),
) as Record<CodeNumber, string>;

export interface RpcStatus {
  code: CodeNumber;
  message: string;
  status?: string;
}

/** The error every engine operation throws for a client-visible failure. Transports map `code`. */
export class FirestoreError extends Error {
  constructor(
    readonly code: CodeNumber,
    message: string,
  ) {
    super(message);
    this.name = 'FirestoreError';
  }
  toStatus(): RpcStatus {
    return { code: this.code, message: this.message, status: CODE_NAMES[this.code] };
  }
}

/** Who is calling. Transports build it from the Authorization header / metadata. */
export interface RequestContext {
  /** `Authorization: Bearer owner` (admin SDK, rules-unit-testing's withSecurityRulesDisabled): rules bypassed. */
  admin: boolean;
  /** Decoded (unverified, emulator-style) Firebase ID token, or null when unauthenticated. */
  auth: { uid: string; token: Record<string, unknown> } | null;
  /** A per-request id for logs. */
  requestId?: string;
}

/** One document changed by a commit, as delivered to commit listeners (triggers, persistence, listeners). */
export interface DocumentChange {
  name: string;
  before: Document | null;
  after: Document | null;
}

export interface CommitEvent {
  /** "projects/{p}/databases/{d}" */
  database: string;
  commitTime: string;
  /** Monotonic commit sequence number of the engine. */
  version: bigint;
  changes: DocumentChange[];
}

/**
 * The single place Security Rules plug in. The engine calls it for every non-admin request, with the
 * state needed to judge it; it resolves to nothing when allowed and throws FirestoreError(PERMISSION_DENIED)
 * otherwise. Until the rules engine lands, the default authorizer allows everything.
 */
export interface Authorizer {
  /** Judge a single document read (get / batchGet / document listen target). */
  authorizeGet(ctx: RequestContext, name: string, existing: Document | null): Promise<void>;
  /**
   * Judge a query (list) from its constraints, not from its results. It takes the NormalQuery the executor runs,
   * never the request's StructuredQuery, so the rules and the executor cannot read a query differently.
   */
  authorizeList(ctx: RequestContext, query: NormalQuery): Promise<void>;
  /**
   * Judge all writes of one commit together (getAfter/existsAfter see the whole commit).
   * `changes` holds, per written document, the state before and after the commit.
   */
  authorizeWrites(
    ctx: RequestContext,
    database: string,
    changes: { name: string; method: 'create' | 'update' | 'delete'; before: Document | null; after: Document | null }[],
    readAfter: (name: string) => Document | null,
    /** The commit time: `request.time`, equal to the server timestamps written by this commit. */
    time: string,
  ): Promise<void>;
}

/** A live Listen stream bound to one database. */
export interface ListenSession {
  addTarget(target: Target): void;
  removeTarget(targetId: number): void;
  /** The targets active on this stream now (bounded by the engine's per-stream limit). */
  readonly targetCount: number;
  close(): void;
}

/** A Write stream bound to one database (web SDK). */
export interface WriteSession {
  /** The handshake answer: a streamId and first streamToken, never writeResults. */
  readonly streamId: string;
  write(req: { writes?: Write[]; streamToken?: string }): Promise<{ streamToken: string; writeResults: WriteResult[]; commitTime: string }>;
}

export interface Engine {
  commit(ctx: RequestContext, database: string, req: CommitRequest): Promise<CommitResponse>;
  batchGet(ctx: RequestContext, database: string, req: BatchGetRequest): Promise<BatchGetResponse[]>;
  runQuery(ctx: RequestContext, req: RunQueryRequest): Promise<RunQueryResponse[]>;
  runAggregationQuery(ctx: RequestContext, req: RunAggregationQueryRequest): Promise<RunAggregationQueryResponse[]>;
  beginTransaction(ctx: RequestContext, database: string, options?: TransactionOptions): Promise<{ transaction: string }>;
  rollback(ctx: RequestContext, database: string, transaction: string): Promise<void>;
  getDocument(ctx: RequestContext, name: string, mask?: string[]): Promise<Document>;
  /** ListDocuments: direct children of `parent` in `collectionId` (admin listDocuments uses showMissing). */
  listDocuments(
    ctx: RequestContext,
    parent: string,
    collectionId: string,
    opts: { pageSize?: number; pageToken?: string; showMissing?: boolean; mask?: string[] },
  ): Promise<{ documents: Document[]; nextPageToken?: string }>;
  listCollectionIds(ctx: RequestContext, parent: string): Promise<string[]>;
  /** Listen: `send` receives every response in order. */
  listen(ctx: RequestContext, database: string, send: (r: ListenResponse) => void): ListenSession;
  openWriteStream(ctx: RequestContext, database: string): WriteSession;

  /** Emulator endpoint: drop every document of a project (all its databases). */
  clear(projectId: string): void;
  /** Commit listeners run synchronously after each commit, in commit order. Returns an unsubscribe. */
  onCommit(listener: (e: CommitEvent) => void): () => void;
  setAuthorizer(a: Authorizer): void;
  /** The stored document, read without locks or rules (for the rules evaluator's get()/exists()). */
  peek(name: string): Document | null;
  /** Number of stored documents (all databases). */
  size(): number;
  /** Flush persistence and stop timers. */
  close(): Promise<void>;
}

/** A Listen stream request as both transports decode it. */
export interface ListenRequestLike {
  database: string;
  addTarget?: Target;
  removeTarget?: number;
  labels?: Record<string, string>;
}
