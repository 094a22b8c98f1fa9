/**
 * The embedded Firestore engine: an in-memory document store with Firestore's semantics, transport-neutral.
 * Transports (WebChannel/REST in ../http, gRPC in ../grpc) translate wire messages to these calls.
 */
import { randomBytes } from 'node:crypto';
import {
  Code,
  FirestoreError,
  type Authorizer,
  type BatchGetRequest,
  type BatchGetResponse,
  type CommitEvent,
  type CommitRequest,
  type CommitResponse,
  type Document,
  type DocumentChange,
  type Engine,
  type ListenResponse,
  type ListenSession,
  type RequestContext,
  type RunAggregationQueryRequest,
  type RunAggregationQueryResponse,
  type RunQueryRequest,
  type RunQueryResponse,
  type TransactionOptions,
  type Value,
  type Write,
  type WriteResult,
  type WriteSession,
} from './types';
import { collectionOf, docName, splitName } from './paths';
import { compileQuery, execute, project, type CompiledQuery } from './query';
import { applyWrite, checkWrite, MAX_WRITES_PER_COMMIT, type CheckedWrite } from './write';
import { LockTable, type LockOwner } from './locks';
import { ListenManager } from './listen';
import { Persistence } from './persistence';
import { aggregate } from './aggregate';
import { formatTimestamp, parseFieldPath } from './values';
import { NormalQuery } from './normalize';
import { checkAggregationRequest, checkBatchGetRequest, checkRunQueryRequest, checkTransactionOptions } from './validate';

export interface EngineOptions {
  /** Folder for durable storage; absent keeps everything in memory. */
  dataDir?: string;
  log?: (event: string, fields?: Record<string, unknown>) => void;
  /** How long a transaction waits for a lock before ABORTED. */
  lockWaitMs?: number;
  /**
   * A transaction's longest life, from its start: past it, the transaction is ended (its locks go) and any request
   * naming it hears that it expired. Firestore's limit, the default, is 270 s.
   */
  transactionLifetimeMs?: number;
  /** How long a transaction may go without a request before it expires the same way. Firestore's: 60 s. */
  transactionIdleMs?: number;
}

/** Allows everything: the state until Security Rules are loaded. */
export const allowAll: Authorizer = {
  async authorizeGet() {},
  async authorizeList() {},
  async authorizeWrites() {},
};

interface Txn extends LockOwner {
  id: string;
  database: string;
  readOnly: boolean;
  /** Versions read: updateTime, or null for a missing document. */
  reads: Map<string, string | null>;
  queries: { parent: string; compiled: CompiledQuery; signature: string }[];
  startedAt: number;
  lastActive: number;
  /** Requests of this transaction being served: it is not idle while one of them waits for a lock. */
  inFlight: number;
  /**
   * Documents this transaction reads with an exclusive lock. A retry of an attempt that contention aborted takes, on
   * what that attempt read, the lock its write will need: sharing them again would only replay the race it lost.
   */
  exclusive: Set<string>;
}

/** What is left of a transaction that ended without committing, while its client may still name it. */
interface EndedTxn {
  seq: number;
  aborted: boolean;
  expired: boolean;
  /** What it had read: its retry locks these exclusively when contention aborted it. */
  reads: string[];
  /** A retry has taken this age already: a second one starts afresh, so no two live transactions share an age. */
  retried: boolean;
}

const DEFAULT_TXN_LIFETIME_MS = 270_000;
const DEFAULT_TXN_IDLE_MS = 60_000;

class Store {
  readonly docs = new Map<string, Document>();
  /** Full collection name → its documents. */
  readonly byCollection = new Map<string, Map<string, Document>>();
  /** Collection id → full names of collections with that id (for collection-group queries). */
  readonly byCollectionId = new Map<string, Set<string>>();

  get(name: string): Document | null {
    return this.docs.get(name) ?? null;
  }

  put(doc: Document): void {
    this.docs.set(doc.name, doc);
    const coll = collectionOf(doc.name);
    let m = this.byCollection.get(coll);
    if (!m) {
      m = new Map();
      this.byCollection.set(coll, m);
      const id = coll.slice(coll.lastIndexOf('/') + 1);
      let s = this.byCollectionId.get(id);
      if (!s) this.byCollectionId.set(id, (s = new Set()));
      s.add(coll);
    }
    m.set(doc.name, doc);
  }

  delete(name: string): void {
    if (!this.docs.delete(name)) return;
    const coll = collectionOf(name);
    const m = this.byCollection.get(coll);
    m?.delete(name);
    if (m && m.size === 0) {
      this.byCollection.delete(coll);
      const id = coll.slice(coll.lastIndexOf('/') + 1);
      this.byCollectionId.get(id)?.delete(coll);
    }
  }

  /** Documents that may belong to a query's scope, without scanning unrelated collections. */
  *candidates(q: CompiledQuery): Iterable<Document> {
    if (!q.allDescendants) {
      const m = this.byCollection.get(`${q.parent}/${q.collectionId}`);
      if (m) yield* m.values();
      return;
    }
    for (const coll of this.byCollectionId.get(q.collectionId) ?? []) {
      if (!coll.startsWith(`${q.parent}/`)) continue;
      const m = this.byCollection.get(coll);
      if (m) yield* m.values();
    }
  }
}

class FirestoreEngine implements Engine {
  private readonly store = new Store();
  private readonly locks: LockTable;
  private readonly txns = new Map<string, Txn>();
  /**
   * Transactions ended by contention or rolled back, by id, with their age. A client may still be using an aborted id
   * in parallel requests (a getAll, several reads at once): each must hear ABORTED, which the SDKs retry, rather than
   * INVALID_ARGUMENT, which they do not. And the retry that follows names the id to keep the attempt's age.
   */
  private readonly endedTxns = new Map<string, EndedTxn>();
  private txnSeq = 0;
  private lastMicros = 0n;
  private version = 0n;
  private authorizer: Authorizer = allowAll;
  private readonly commitListeners = new Set<(e: CommitEvent) => void>();
  private readonly listeners: ListenManager;
  private persistence: Persistence | undefined;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: EngineOptions) {
    this.locks = new LockTable(options.lockWaitMs);
    this.listeners = new ListenManager({
      candidates: (q) => this.store.candidates(q),
      get: (name) => this.store.get(name),
      readTime: () => this.readTime(),
      authorizer: () => this.authorizer,
      log: options.log,
    });
    // Swept often enough that an expired transaction's locks go within a quarter of the shorter limit after it expires.
    const every = Math.min(this.lifetimeMs(), this.idleMs()) / 4;
    this.sweeper = setInterval(() => this.expireTransactions(), Math.min(10_000, Math.max(5, Math.floor(every))));
    this.sweeper.unref();
  }

  async open(): Promise<void> {
    if (!this.options.dataDir) return;
    this.persistence = new Persistence(this.options.dataDir);
    const loaded = this.persistence.load();
    for (const d of loaded.documents) this.store.put(d);
    this.lastMicros = loaded.lastMicros;
    this.version = loaded.lastMicros;
  }

  /** The commit time the next commit would get, without taking it. */
  private nextMicros(): bigint {
    const micros = BigInt(Date.now()) * 1000n;
    return micros <= this.lastMicros ? this.lastMicros + 1n : micros;
  }

  /** A strictly increasing microsecond clock: commit times and read times never go backwards. */
  private tick(at?: bigint): string {
    const micros = at !== undefined && at > this.lastMicros ? at : this.nextMicros();
    this.lastMicros = micros;
    this.version = micros;
    return microsToTime(micros);
  }

  private readTime(): string {
    return microsToTime(this.lastMicros > 0n ? this.lastMicros : BigInt(Date.now()) * 1000n);
  }

  setAuthorizer(a: Authorizer): void {
    this.authorizer = a;
  }

  peek(name: string): Document | null {
    return this.store.get(name);
  }

  size(): number {
    return this.store.docs.size;
  }

  onCommit(listener: (e: CommitEvent) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  // ---- transactions -------------------------------------------------------------------------------------------

  async beginTransaction(_ctx: RequestContext, database: string, options?: TransactionOptions): Promise<{ transaction: string }> {
    checkDatabase(database);
    checkTransactionOptions(options);
    return { transaction: this.startTxn(database, options).id };
  }

  /**
   * A new transaction; a retry (`readWrite.retryTransaction`, sent with beginTransaction or with a first read's
   * `newTransaction`) keeps the age of the attempt it retries, so it is not starved by younger ones (wound-wait).
   */
  private startTxn(database: string, options: TransactionOptions | undefined): Txn {
    const retried = options?.readWrite?.retryTransaction;
    if (retried) {
      const live = this.txns.get(retried);
      if (live) this.finish(live);
      const ended = this.endedTxns.get(retried);
      if (ended && !ended.retried) {
        ended.retried = true;
        return this.newTxn(database, false, ended.seq, ended.aborted ? ended.reads : []);
      }
    }
    return this.newTxn(database, options?.readOnly !== undefined);
  }

  private newTxn(database: string, readOnly: boolean, seq = ++this.txnSeq, exclusive: Iterable<string> = []): Txn {
    const id = randomBytes(12).toString('base64');
    const now = Date.now();
    const txn: Txn = {
      id,
      database,
      readOnly,
      seq,
      wounded: false,
      held: new Set(),
      reads: new Map(),
      queries: [],
      startedAt: now,
      lastActive: now,
      inFlight: 0,
      exclusive: new Set(exclusive),
    };
    this.txns.set(id, txn);
    return txn;
  }

  private lifetimeMs(): number {
    return this.options.transactionLifetimeMs ?? DEFAULT_TXN_LIFETIME_MS;
  }

  private idleMs(): number {
    return this.options.transactionIdleMs ?? DEFAULT_TXN_IDLE_MS;
  }

  private isExpired(t: Txn, now: number): boolean {
    return now - t.startedAt >= this.lifetimeMs() || (t.inFlight === 0 && now - t.lastActive >= this.idleMs());
  }

  private txn(id: string): Txn {
    const t = this.txns.get(id);
    if (!t) {
      const ended = this.endedTxns.get(id);
      if (ended?.aborted) throw abortedError();
      if (ended?.expired) throw expiredError();
      throw new FirestoreError(Code.INVALID_ARGUMENT, 'Transaction is not valid (expired, committed or rolled back)');
    }
    if (t.wounded) {
      this.finish(t);
      throw abortedError();
    }
    const now = Date.now();
    if (this.isExpired(t, now)) {
      this.finish(t, 'expired');
      throw expiredError();
    }
    t.lastActive = now;
    return t;
  }

  /** Counts a request of `t` (if any) as in flight until the returned function is called. */
  private busy(t: Txn | undefined): () => void {
    if (!t) return () => {};
    t.inFlight++;
    return () => {
      t.inFlight--;
      t.lastActive = Date.now();
    };
  }

  private finish(t: Txn, outcome: 'committed' | 'ended' | 'expired' = 'ended'): void {
    // Any request of its still waiting for a lock fails, and none can take a lock from now on.
    const why = t.wounded ? abortedError() : outcome === 'expired' ? expiredError() : new FirestoreError(Code.INVALID_ARGUMENT, 'Transaction is not valid (committed or rolled back)');
    this.locks.end(t, why);
    this.txns.delete(t.id);
    // Remembered with its age: the retry that follows keeps it (and late parallel requests hear ABORTED or expired).
    if (outcome === 'expired' || (outcome === 'ended' && !t.readOnly))
      this.endedTxns.set(t.id, { seq: t.seq, aborted: t.wounded, expired: outcome === 'expired', reads: [...t.reads.keys(), ...t.exclusive], retried: false });
  }

  /** Ends every transaction past its lifetime or idle for too long, so its locks stop blocking others. */
  private expireTransactions(): void {
    const now = Date.now();
    for (const t of [...this.txns.values()]) {
      if (!this.isExpired(t, now)) continue;
      this.options.log?.('transaction-expired', { database: t.database, ageMs: now - t.startedAt, idleMs: now - t.lastActive });
      this.finish(t, 'expired');
    }
    // Tombstones are only needed while the client is still retrying; a few hundred cover any burst.
    while (this.endedTxns.size > 1000) {
      const oldest = this.endedTxns.keys().next();
      if (oldest.done) break;
      this.endedTxns.delete(oldest.value);
    }
  }

  async rollback(_ctx: RequestContext, _database: string, transaction: string): Promise<void> {
    const t = this.txns.get(transaction);
    if (!t) {
      // Rolling back an attempt that contention or expiry already ended is what the SDK does next: nothing is left.
      const ended = this.endedTxns.get(transaction);
      if (ended?.aborted || ended?.expired) return;
      throw new FirestoreError(Code.INVALID_ARGUMENT, 'Transaction is not valid');
    }
    this.finish(t);
  }

  /** Resolves the transaction of a read: an existing id or a new one (`newTransaction`). */
  private async readTxn(
    database: string,
    transaction: string | undefined,
    newTransaction: TransactionOptions | undefined,
  ): Promise<{ txn: Txn | undefined; created: boolean }> {
    if (transaction) return { txn: this.txn(transaction), created: false };
    if (newTransaction) return { txn: this.startTxn(database, newTransaction), created: true };
    return { txn: undefined, created: false };
  }

  // ---- reads --------------------------------------------------------------------------------------------------

  async batchGet(ctx: RequestContext, database: string, req: BatchGetRequest): Promise<BatchGetResponse[]> {
    checkDatabase(database);
    checkBatchGetRequest(req);
    for (const n of req.documents) if (docName(n).database !== database) throw wrongDatabase(n);
    const { txn, created } = await this.readTxn(database, req.transaction, req.newTransaction);
    const mask = req.mask?.fieldPaths?.map(parseFieldPath);
    const out: BatchGetResponse[] = [];
    const locking = txn && !txn.readOnly ? txn : undefined;
    const names = [...new Set(req.documents)];
    /** Locks this request took, given back if it fails. */
    const taken: string[] = [];
    const done = this.busy(txn);
    try {
      // The rules judge every document before any lock is taken: a read they refuse must not hold anyone up.
      const judged = new Map<string, Document | null>();
      if (!ctx.admin) {
        for (const n of names) {
          const doc = this.store.get(n);
          await this.authorizer.authorizeGet(ctx, n, doc);
          judged.set(n, doc);
        }
      }
      if (locking) {
        for (const n of names) {
          const had = this.locks.heldMode(locking, n) !== undefined;
          await this.locks.acquire(locking, n, locking.exclusive.has(n) ? 'exclusive' : 'shared');
          if (!had) taken.push(n);
        }
        // A document that changed while this request waited for its lock is judged again, as it is now.
        if (!ctx.admin) {
          for (const n of names) {
            const doc = this.store.get(n);
            if (doc !== judged.get(n)) await this.authorizer.authorizeGet(ctx, n, doc);
          }
        }
      }
      for (const n of req.documents) {
        const doc = this.store.get(n);
        if (locking && !locking.reads.has(n)) locking.reads.set(n, doc?.updateTime ?? null);
        const r: BatchGetResponse = doc ? { found: project(doc, mask), readTime: this.readTime() } : { missing: n, readTime: this.readTime() };
        out.push(r);
      }
    } catch (e) {
      if (txn && created) this.finish(txn);
      else if (locking) for (const n of taken) this.locks.release(locking, n);
      throw e;
    } finally {
      done();
    }
    if (created && txn && out[0]) out[0].transaction = txn.id;
    if (created && txn && !out.length) out.push({ transaction: txn.id, readTime: this.readTime() });
    return out;
  }

  async getDocument(ctx: RequestContext, name: string, mask?: string[]): Promise<Document> {
    docName(name);
    const doc = this.store.get(name);
    if (!ctx.admin) await this.authorizer.authorizeGet(ctx, name, doc);
    if (!doc) throw new FirestoreError(Code.NOT_FOUND, `Document not found: ${name}`);
    return project(doc, mask?.map(parseFieldPath));
  }

  private compile(parent: string, q: RunQueryRequest['structuredQuery']): CompiledQuery {
    const p = splitName(parent);
    if (p.segments.length % 2 !== 0) throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid query parent: ${parent}`);
    return compileQuery(parent, q);
  }

  async runQuery(ctx: RequestContext, req: RunQueryRequest): Promise<RunQueryResponse[]> {
    checkRunQueryRequest(req);
    const compiled = this.compile(req.parent, req.structuredQuery);
    // The rules judge the normalised query the executor runs, never the request's own message.
    if (!ctx.admin) await this.authorizer.authorizeList(ctx, compiled.normal);
    const database = splitName(req.parent).database;
    const { txn, created } = await this.readTxn(database, req.transaction, req.newTransaction);
    let docs: Document[];
    const done = this.busy(txn);
    try {
      docs = execute(compiled, this.store.candidates(compiled));
      if (txn && !txn.readOnly) {
        for (const d of docs) await this.locks.acquire(txn, d.name, txn.exclusive.has(d.name) ? 'exclusive' : 'shared');
        // Results may have moved while waiting for locks: re-run, then remember what was seen.
        docs = execute(compiled, this.store.candidates(compiled));
        for (const d of docs) if (!txn.reads.has(d.name)) txn.reads.set(d.name, d.updateTime);
        txn.queries.push({ parent: req.parent, compiled, signature: signature(docs) });
      }
    } catch (e) {
      if (txn && created) this.finish(txn);
      throw e;
    } finally {
      done();
    }
    const readTime = this.readTime();
    const out: RunQueryResponse[] = docs.map((d) => ({ document: project(d, compiled.projection), readTime }));
    if (!out.length) out.push({ readTime });
    if (created && txn && out[0]) out[0].transaction = txn.id;
    return out;
  }

  async runAggregationQuery(ctx: RequestContext, req: RunAggregationQueryRequest): Promise<RunAggregationQueryResponse[]> {
    checkAggregationRequest(req);
    const saq = req.structuredAggregationQuery;
    const rows = await this.runQuery(ctx, { ...req, structuredQuery: saq.structuredQuery });
    const docs = rows.flatMap((r) => (r.document ? [r.document] : []));
    const res: RunAggregationQueryResponse = {
      result: { aggregateFields: aggregate(saq.aggregations, docs) },
      readTime: this.readTime(),
    };
    if (rows[0]?.transaction) res.transaction = rows[0].transaction;
    return [res];
  }

  async listDocuments(
    ctx: RequestContext,
    parent: string,
    collectionId: string,
    opts: { pageSize?: number; pageToken?: string; showMissing?: boolean; mask?: string[] },
  ): Promise<{ documents: Document[]; nextPageToken?: string }> {
    const coll = `${parent}/${collectionId}`;
    splitName(coll);
    if (!ctx.admin)
      await this.authorizer.authorizeList(
        ctx,
        NormalQuery.parse(parent, { from: [{ collectionId }], ...(opts.pageSize ? { limit: opts.pageSize } : {}) }),
      );
    const names = new Set(this.store.byCollection.get(coll)?.keys() ?? []);
    if (opts.showMissing) {
      // Documents that do not exist but have subcollections.
      const prefix = `${coll}/`;
      for (const c of this.store.byCollection.keys()) {
        if (!c.startsWith(prefix)) continue;
        const rest = c.slice(prefix.length).split('/');
        names.add(`${coll}/${rest[0] ?? ''}`);
      }
    }
    const sorted = [...names].sort();
    const start = opts.pageToken ? sorted.findIndex((n) => n > Buffer.from(opts.pageToken ?? '', 'base64').toString()) : 0;
    const from = start < 0 ? sorted.length : start;
    const size = opts.pageSize && opts.pageSize > 0 ? opts.pageSize : sorted.length;
    const page = sorted.slice(from, from + size);
    const mask = opts.mask?.map(parseFieldPath);
    const documents = page.map((n) => {
      const d = this.store.get(n);
      return d ? project(d, mask) : { name: n, fields: {}, createTime: '', updateTime: '' };
    });
    const last = page[page.length - 1];
    return from + size < sorted.length && last ? { documents, nextPageToken: Buffer.from(last).toString('base64') } : { documents };
  }

  async listCollectionIds(ctx: RequestContext, parent: string): Promise<string[]> {
    splitName(parent);
    if (!ctx.admin) throw new FirestoreError(Code.PERMISSION_DENIED, 'listCollectionIds is only for privileged clients');
    const prefix = `${parent}/`;
    const ids = new Set<string>();
    for (const c of this.store.byCollection.keys()) {
      if (!c.startsWith(prefix)) continue;
      // The first segment below a document (or the root) is always a collection id.
      const id = c.slice(prefix.length).split('/')[0];
      if (id) ids.add(id);
    }
    return [...ids].sort();
  }

  // ---- writes -------------------------------------------------------------------------------------------------

  async commit(ctx: RequestContext, database: string, req: CommitRequest): Promise<CommitResponse> {
    checkDatabase(database);
    if (typeof req !== 'object' || req === null || Array.isArray(req))
      throw new FirestoreError(Code.INVALID_ARGUMENT, 'A commit request must be an object');
    if (req.transaction !== undefined && (typeof req.transaction !== 'string' || req.transaction === ''))
      throw new FirestoreError(Code.INVALID_ARGUMENT, 'transaction must be a transaction id');
    const writes: Write[] = req.writes ?? [];
    if (!Array.isArray(writes)) throw new FirestoreError(Code.INVALID_ARGUMENT, 'writes must be a list');
    if (writes.length > MAX_WRITES_PER_COMMIT)
      throw new FirestoreError(Code.INVALID_ARGUMENT, `A commit may hold at most ${MAX_WRITES_PER_COMMIT} writes (got ${writes.length})`);
    // Each write is validated once, here, before the rules or anything else reads it; names[i] is its document.
    const checked = writes.map(checkWrite);
    const names = checked.map((c) => c.name);
    for (const n of names) if (splitName(n).database !== database) throw wrongDatabase(n);

    const txn = req.transaction ? this.txn(req.transaction) : undefined;
    if (txn?.readOnly && writes.length) {
      this.finish(txn);
      throw new FirestoreError(Code.INVALID_ARGUMENT, 'Cannot write in a read-only transaction');
    }
    // A write outside a transaction is a transaction of its own, as old as its arrival: it waits for the older
    // holders, and the readers that come after it queue behind it, so overlapping readers cannot starve it.
    const owner: LockOwner = txn ?? { seq: ++this.txnSeq, wounded: false, held: new Set() };
    let committed = false;
    const done = this.busy(txn);
    try {
      const judge = () => this.judgeCommit(ctx, database, checked);
      // The rules judge the commit before it takes any lock it does not hold yet: a commit they refuse never holds
      // anyone up, not even while it would wait for a lock of its own.
      let judgedAt = ctx.admin ? undefined : await judge();
      for (let attempt = 0; ; attempt++) {
        for (const n of new Set(names)) await this.locks.acquire(owner, n, 'exclusive');
        // Judged again, under the locks, only if anything committed since it was judged: the documents the rules saw
        // may have changed, and request.time must still be the commit time.
        if (judgedAt !== undefined && judgedAt <= this.lastMicros) judgedAt = await judge();
        // Synchronous from here to the apply: nothing can interleave between these checks and the commit.
        if (owner.ended) throw owner.ended;
        if (!txn && owner.wounded) {
          // An older transaction took this write's locks while the rules judged it: take them again, as the write
          // it is, rather than abort a write that is in no transaction.
          owner.wounded = false;
        } else {
          if (txn) this.validateTransaction(txn);
          if (judgedAt === undefined || judgedAt > this.lastMicros) {
            const result = this.applyCommit(database, checked, judgedAt);
            committed = true;
            return result;
          }
        }
        if (attempt >= 4) throw new FirestoreError(Code.ABORTED, 'Too much contention while judging security rules; retry');
      }
    } finally {
      done();
      // Every lock goes, whatever the outcome: a denied or failed commit keeps none.
      if (txn) {
        if (this.txns.get(txn.id) === txn) this.finish(txn, committed ? 'committed' : 'ended');
      } else this.locks.releaseAll(owner);
    }
  }

  /** Everything a read-write transaction saw must be unchanged at commit, or it aborts. */
  private validateTransaction(t: Txn): void {
    if (t.wounded) throw new FirestoreError(Code.ABORTED, 'Transaction was aborted due to contention; retry it');
    for (const [name, seen] of t.reads) {
      if ((this.store.get(name)?.updateTime ?? null) !== seen)
        throw new FirestoreError(Code.ABORTED, `Transaction aborted: ${name} changed since it was read`);
    }
    for (const q of t.queries) {
      if (signature(execute(q.compiled, this.store.candidates(q.compiled))) !== q.signature)
        throw new FirestoreError(Code.ABORTED, 'Transaction aborted: a query result changed since it was read');
    }
  }

  /**
   * The commit's writes applied to the current state at `commitTime`, without storing anything: per write its result,
   * the documents as they would be after the commit, and as they are before it.
   * @throws FirestoreError NOT_FOUND / ALREADY_EXISTS / FAILED_PRECONDITION when `checkPreconditions` and one fails
   */
  private preview(writes: readonly CheckedWrite[], commitTime: string, checkPreconditions: boolean) {
    const pending = new Map<string, Document | null>();
    const stateOf = (n: string) => (pending.has(n) ? (pending.get(n) ?? null) : this.store.get(n));
    const results: WriteResult[] = [];
    const before = new Map<string, Document | null>();
    for (const w of writes) {
      const { name } = w;
      const existing = stateOf(name);
      if (!before.has(name)) before.set(name, this.store.get(name));
      const applied = applyWrite(w, existing, commitTime, checkPreconditions);
      if (applied.changes) pending.set(name, applied.after);
      const r: WriteResult = { updateTime: applied.after && applied.changes ? commitTime : (existing?.updateTime ?? commitTime) };
      if (applied.transformResults) r.transformResults = applied.transformResults;
      results.push(r);
    }
    return { results, before, pending, stateOf };
  }

  /**
   * Judges the whole commit under the rules, as it would be applied now at the next commit time, and returns that
   * time: the commit may be applied as judged only while no other commit has taken it (or a later one). Every write
   * is judged (a `verify` as a read of its document, a delete of a missing document as a delete) and preconditions
   * are not checked, so a caller the rules deny hears PERMISSION_DENIED whether or not the document exists: a
   * precondition's NOT_FOUND / ALREADY_EXISTS / FAILED_PRECONDITION is only ever told to a caller allowed to make the
   * write, who learns nothing they could not learn by making it.
   * @throws FirestoreError PERMISSION_DENIED when the rules refuse any write
   */
  private async judgeCommit(ctx: RequestContext, database: string, writes: readonly CheckedWrite[]): Promise<bigint> {
    // Rules see the commit as it will be applied: request.time is the commit time, and equals the server timestamps
    // it writes.
    const candidate = this.nextMicros();
    const time = microsToTime(candidate);
    const { before, pending, stateOf } = this.preview(writes, time, false);
    const written = [...new Set(writes.filter((w) => w.write.verify === undefined).map((w) => w.name))];
    const changes = written.map((name) => {
      const b = before.get(name) ?? null;
      const after = pending.has(name) ? (pending.get(name) ?? null) : b;
      const method: 'create' | 'update' | 'delete' = after === null ? 'delete' : b ? 'update' : 'create';
      return { name, method, before: b, after };
    });
    if (changes.length) await this.authorizer.authorizeWrites(ctx, database, changes, stateOf, time);
    // A verify reveals whether its document exists (or when it last changed): the rules must allow reading it.
    for (const name of new Set(writes.filter((w) => w.write.verify !== undefined).map((w) => w.name)))
      await this.authorizer.authorizeGet(ctx, name, before.get(name) ?? null);
    return candidate;
  }

  /**
   * Checks the commit's preconditions against the current state and applies it at once, at `judgedAt` (the time its
   * rules were judged at) or, for a privileged commit, the next commit time. Synchronous: nothing interleaves.
   */
  private applyCommit(database: string, writes: readonly CheckedWrite[], judgedAt: bigint | undefined): CommitResponse {
    const commitTime = this.tick(judgedAt);
    const { results, before, pending } = this.preview(writes, commitTime, true);
    const changes: DocumentChange[] = [];
    for (const [name, after] of pending) {
      const b = before.get(name) ?? null;
      if (b || after) changes.push({ name, before: b, after });
    }
    const event: CommitEvent = { database, commitTime, version: this.version, changes };
    // Durable before anyone can see it: if the log cannot take the commit, it did not happen.
    if (changes.length) this.persist(event);
    for (const [name, after] of pending) {
      if (after) this.store.put(after);
      else this.store.delete(name);
    }
    if (changes.length) this.publish(event);
    this.compactIfDue();
    return { writeResults: results, commitTime };
  }

  /**
   * Appends a commit to the durable log, before it is applied.
   * @throws FirestoreError INTERNAL when the log cannot take it (nothing was changed)
   */
  private persist(e: CommitEvent): void {
    if (!this.persistence) return;
    try {
      this.persistence.append(e);
    } catch (err) {
      this.options.log?.('persistence-append-failed', { error: String(err) });
      throw new FirestoreError(Code.INTERNAL, 'The commit could not be written to the engine log; nothing was changed');
    }
  }

  /**
   * Tells everyone of a commit that is durable and applied: first the commit listeners (trigger dispatch), then the
   * Listen targets. Neither can undo the commit or fail its writer: a listener's error stays the listener's, and a
   * target's error ends that target alone (ListenManager isolates them; this catch is the last guard).
   */
  private publish(e: CommitEvent): void {
    for (const l of this.commitListeners) {
      try {
        l(e);
      } catch (err) {
        this.options.log?.('commit-listener-failed', { error: String(err) });
      }
    }
    try {
      this.listeners.onCommit(e);
    } catch (err) {
      this.options.log?.('listen-fanout-failed', { error: String(err) });
    }
  }

  /** Folds a grown log into a snapshot; the commits are already durable, so a failure here fails no writer. */
  private compactIfDue(): void {
    if (!this.persistence?.pendingCompaction) return;
    try {
      this.persistence.compact(this.store.docs.values(), this.lastMicros);
    } catch (err) {
      // Left pending: the next commit tries again, and the log still holds everything.
      this.options.log?.('persistence-compaction-failed', { error: String(err) });
    }
  }

  // ---- streams ------------------------------------------------------------------------------------------------

  listen(ctx: RequestContext, database: string, send: (r: ListenResponse) => void): ListenSession {
    checkDatabase(database);
    return this.listeners.open(ctx, database, send);
  }

  openWriteStream(ctx: RequestContext, database: string): WriteSession {
    checkDatabase(database);
    let token = 0;
    const streamId = randomBytes(8).toString('hex');
    const commit = (writes: Write[]) => this.commit(ctx, database, { writes });
    return {
      streamId,
      async write(req) {
        const r = await commit(req.writes ?? []);
        token++;
        return { streamToken: Buffer.from(`${streamId}:${token}`).toString('base64'), writeResults: r.writeResults, commitTime: r.commitTime };
      },
    };
  }

  // ---- emulator operations ------------------------------------------------------------------------------------

  clear(projectId: string): void {
    const prefix = `projects/${projectId}/databases/`;
    const byDb = new Map<string, DocumentChange[]>();
    for (const [name, doc] of this.store.docs) {
      if (!name.startsWith(prefix)) continue;
      const db = splitName(name).database;
      const list = byDb.get(db) ?? [];
      list.push({ name, before: doc, after: null });
      byDb.set(db, list);
    }
    for (const [database, changes] of byDb) {
      const event: CommitEvent = { database, commitTime: this.tick(), version: this.version, changes };
      this.persist(event);
      for (const c of changes) this.store.delete(c.name);
      this.publish(event);
    }
    for (const t of [...this.txns.values()]) if (t.database.startsWith(prefix)) this.finish(t);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.listeners.closeAll();
    if (this.persistence) this.persistence.compact(this.store.docs.values(), this.lastMicros);
  }

  /** Every stored document (for export). */
  documents(): IterableIterator<Document> {
    return this.store.docs.values();
  }
}

function microsToTime(micros: bigint): string {
  const seconds = Number(micros / 1_000_000n);
  const nanos = Number(micros % 1_000_000n) * 1000;
  return formatTimestamp(seconds, nanos, 6);
}

function abortedError(): FirestoreError {
  return new FirestoreError(Code.ABORTED, 'Transaction was aborted due to contention; retry it');
}

/** Firestore's words for a transaction past its limits; the server SDKs retry INVALID_ARGUMENT only with them. */
function expiredError(): FirestoreError {
  return new FirestoreError(Code.INVALID_ARGUMENT, 'The referenced transaction has expired or is no longer valid.');
}

function signature(docs: Document[]): string {
  return docs.map((d) => `${d.name}@${d.updateTime}`).join('|');
}

function checkDatabase(database: string): void {
  if (typeof database !== 'string' || !/^projects\/[^/]+\/databases\/[^/]+$/.test(database))
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid database name: ${String(database).slice(0, 200)}`);
}

function wrongDatabase(name: string): FirestoreError {
  return new FirestoreError(Code.INVALID_ARGUMENT, `Document ${name} is not in the request's database`);
}

export type { Value };

/** Creates the engine, loading persisted data when `dataDir` is set. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine & { documents(): IterableIterator<Document> }> {
  const e = new FirestoreEngine(options);
  await e.open();
  return e;
}
