/**
 * Listen targets: initial results, then per-commit deltas. Targets are indexed by the collection (or document)
 * they watch, so a commit costs in proportion to the documents it changed and the targets those can affect,
 * not to the number of stored documents.
 */
import {
  Code,
  FirestoreError,
  type Authorizer,
  type CommitEvent,
  type Document,
  type ListenResponse,
  type ListenSession,
  type RequestContext,
  type RpcStatus,
  type Target,
} from './types';
import { collectionOf, docName, splitName } from './paths';
import { compileQuery, execute, type CompiledQuery } from './query';
import { checkTarget } from './validate';

export interface ListenDeps {
  candidates(q: CompiledQuery): Iterable<Document>;
  get(name: string): Document | null;
  readTime(): string;
  authorizer(): Authorizer;
  log?: (event: string, fields?: Record<string, unknown>) => void;
  /** Overrides of DEFAULT_LISTEN_LIMITS. */
  limits?: Partial<ListenLimits>;
}

/**
 * What listen targets may exist at once. Every target is evaluated on each commit to its collection and holds its
 * current documents, so their number bounds both the engine's memory and the cost of one commit's fan-out. The web SDK
 * multiplexes all of a tab's listeners on one stream, plus at most 100 limbo-resolution targets
 * (maxConcurrentLimboResolutions), so an honest stream stays far below the per-stream cap.
 */
export interface ListenLimits {
  /** Active targets on one Listen stream (default 256). */
  targetsPerStream: number;
  /** Active targets of all streams together (default 16,384). */
  targetsTotal: number;
}

export const DEFAULT_LISTEN_LIMITS: ListenLimits = { targetsPerStream: 256, targetsTotal: 16_384 };

/** What the listen targets hold right now. */
export interface ListenStats {
  streams: number;
  targets: number;
}

interface TargetState {
  session: Session;
  targetId: number;
  /** What the client asked for, kept to judge the target again under the rules before each delivery. */
  source: Target;
  query: CompiledQuery | undefined;
  docNames: Set<string> | undefined;
  /** The documents the client currently holds for this target. */
  current: Map<string, Document>;
  /** For limit queries: the ordered window. */
  window: Document[] | undefined;
}

class Session implements ListenSession {
  readonly targets = new Map<number, TargetState>();
  private chain: Promise<void> = Promise.resolve();
  closed = false;

  constructor(
    private readonly manager: ListenManager,
    readonly ctx: RequestContext,
    readonly database: string,
    readonly send: (r: ListenResponse) => void,
  ) {}

  /** Requests of one stream, and the deliveries judged under the rules, are handled strictly in order. */
  enqueue(fn: () => Promise<void> | void): void {
    this.chain = this.chain.then(fn).catch((e: unknown) => this.manager.log('listen-request-failed', { error: String(e) }));
  }

  addTarget(target: Target): void {
    this.enqueue(() => this.manager.addTarget(this, target));
  }

  get targetCount(): number {
    return this.targets.size;
  }

  removeTarget(targetId: number): void {
    this.enqueue(() => {
      const t = this.targets.get(targetId);
      if (t) this.manager.unindex(t);
      this.targets.delete(targetId);
      if (!this.closed) this.send({ targetChange: { targetChangeType: 'REMOVE', targetIds: [targetId] } });
    });
  }

  close(): void {
    this.closed = true;
    for (const t of this.targets.values()) this.manager.unindex(t);
    this.targets.clear();
    this.manager.sessions.delete(this);
  }
}

function resumeToken(readTime: string): string {
  return Buffer.from(`v1:${readTime}`).toString('base64');
}

function add<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function remove<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (!s.size) m.delete(k);
}

export class ListenManager {
  readonly sessions = new Set<Session>();
  private readonly byCollection = new Map<string, Set<TargetState>>();
  private readonly byGroup = new Map<string, Set<TargetState>>();
  private readonly byDoc = new Map<string, Set<TargetState>>();
  /** Every indexed target: what the limits count (a Set, so unindexing twice cannot miscount). */
  private readonly live = new Set<TargetState>();
  private readonly limits: ListenLimits;

  constructor(private readonly deps: ListenDeps) {
    this.limits = { ...DEFAULT_LISTEN_LIMITS, ...deps.limits };
  }

  /** How many streams and active targets the engine holds (for tests and diagnostics). */
  stats(): ListenStats {
    return { streams: this.sessions.size, targets: this.live.size };
  }

  /**
   * Refuses a new target when its stream or the engine holds as many as the limits allow.
   * @throws FirestoreError RESOURCE_EXHAUSTED; the web SDK rejects that one listener with it and does not retry
   */
  private checkRoom(session: Session): void {
    if (session.targets.size >= this.limits.targetsPerStream)
      throw new FirestoreError(
        Code.RESOURCE_EXHAUSTED,
        `A Listen stream may have at most ${this.limits.targetsPerStream} active targets; remove one before adding another`,
      );
    if (this.live.size >= this.limits.targetsTotal)
      throw new FirestoreError(Code.RESOURCE_EXHAUSTED, `The emulator holds its maximum of ${this.limits.targetsTotal} listen targets`);
  }

  log(event: string, fields?: Record<string, unknown>): void {
    this.deps.log?.(event, fields);
  }

  open(ctx: RequestContext, database: string, send: (r: ListenResponse) => void): ListenSession {
    const s = new Session(this, ctx, database, send);
    this.sessions.add(s);
    return s;
  }

  closeAll(): void {
    for (const s of [...this.sessions]) s.close();
  }

  private index(t: TargetState): void {
    this.live.add(t);
    if (t.docNames) for (const n of t.docNames) add(this.byDoc, n, t);
    else if (t.query?.allDescendants) add(this.byGroup, t.query.collectionId, t);
    else if (t.query) add(this.byCollection, `${t.query.parent}/${t.query.collectionId}`, t);
  }

  unindex(t: TargetState): void {
    this.live.delete(t);
    if (t.docNames) for (const n of t.docNames) remove(this.byDoc, n, t);
    else if (t.query?.allDescendants) remove(this.byGroup, t.query.collectionId, t);
    else if (t.query) remove(this.byCollection, `${t.query.parent}/${t.query.collectionId}`, t);
  }

  async addTarget(session: Session, target: Target): Promise<void> {
    const id = target?.targetId;
    if (typeof id !== 'number') {
      session.send({ targetChange: { targetChangeType: 'REMOVE', targetIds: [], cause: { code: Code.INVALID_ARGUMENT, message: 'targetId is required' } } });
      return;
    }
    let state: TargetState;
    try {
      const previous = session.targets.get(id);
      if (previous) throw new FirestoreError(Code.INVALID_ARGUMENT, `Target ${id} already exists`);
      // Before any work on the target: a stream past its limit costs no validation, rules or evaluation.
      this.checkRoom(session);
      // One oneof member per target (query | documents): what is judged and what is watched must be the same thing.
      checkTarget(target);
      if (target.query) {
        const parent = target.query.parent;
        if (splitName(parent).database !== session.database) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Target is in another database');
        const query = compileQuery(parent, target.query.structuredQuery);
        await this.authorize(session.ctx, target, query);
        state = { session, targetId: id, source: target, query, docNames: undefined, current: new Map(), window: undefined };
      } else if (target.documents) {
        const names = target.documents.documents ?? [];
        for (const n of names) if (docName(n).database !== session.database) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Target is in another database');
        await this.authorize(session.ctx, target, undefined);
        state = { session, targetId: id, source: target, query: undefined, docNames: new Set(names), current: new Map(), window: undefined };
      } else {
        throw new FirestoreError(Code.INVALID_ARGUMENT, 'A target needs a query or documents');
      }
    } catch (e) {
      const err = e instanceof FirestoreError ? e : new FirestoreError(Code.INTERNAL, String(e));
      if (!session.closed) session.send({ targetChange: { targetChangeType: 'REMOVE', targetIds: [id], cause: err.toStatus() } });
      return;
    }
    if (session.closed) return;

    // Synchronous from here: the initial result and the index registration see the same state.
    let docs: Document[];
    try {
      // Again, synchronously: other streams may have added targets while this one was judged.
      this.checkRoom(session);
      docs = this.evaluate(state);
    } catch (e) {
      // A target that cannot be evaluated is refused like any bad target, instead of leaving the client waiting.
      this.log('listen-target-failed', { targetId: id, error: String(e) });
      session.send({ targetChange: { targetChangeType: 'REMOVE', targetIds: [id], cause: statusOf(e) } });
      return;
    }
    session.targets.set(id, state);
    this.index(state);
    session.send({ targetChange: { targetChangeType: 'ADD', targetIds: [id] } });
    // A resumed target gets the full result after RESET, so documents deleted meanwhile leave the client's cache.
    if (target.resumeToken || target.readTime) session.send({ targetChange: { targetChangeType: 'RESET', targetIds: [id] } });
    for (const d of docs) {
      state.current.set(d.name, d);
      session.send({ documentChange: { document: d, targetIds: [id] } });
    }
    const readTime = this.deps.readTime();
    session.send({ targetChange: { targetChangeType: 'CURRENT', targetIds: [id], resumeToken: resumeToken(readTime) } });
    session.send({ targetChange: { targetChangeType: 'NO_CHANGE', targetIds: [], resumeToken: resumeToken(readTime), readTime } });
    if (target.once) session.removeTarget(id);
  }

  /**
   * Judges a target under the rules with the stream's credentials, as a list query or a get of each document.
   * @throws FirestoreError PERMISSION_DENIED when the rules refuse it
   */
  private async authorize(ctx: RequestContext, target: Target, query: CompiledQuery | undefined): Promise<void> {
    if (ctx.admin) return;
    // The rules judge the compiled target's NormalQuery, the very object its deliveries are matched with.
    if (query) await this.deps.authorizer().authorizeList(ctx, query.normal);
    else for (const n of target.documents?.documents ?? []) await this.deps.authorizer().authorizeGet(ctx, n, this.deps.get(n));
  }

  /**
   * Sends one commit's changes to a signed-in client once each target they belong to is judged again: a grant
   * revoked since the target was added (rules that get() a grant document) stops what flows to it, and the target is
   * removed with PERMISSION_DENIED, as a new read would be refused. Runs in the session's order, after any request
   * already queued.
   */
  private deliverJudged(session: Session, messages: readonly { t: TargetState; r: ListenResponse }[], token: string, readTime: string): void {
    session.enqueue(async () => {
      const denied = new Set<TargetState>();
      for (const t of new Set(messages.map((m) => m.t))) {
        if (session.targets.get(t.targetId) !== t) continue;
        try {
          await this.authorize(session.ctx, t.source, t.query);
        } catch (e) {
          const err = e instanceof FirestoreError ? e : new FirestoreError(Code.INTERNAL, String(e));
          denied.add(t);
          this.unindex(t);
          session.targets.delete(t.targetId);
          if (!session.closed) session.send({ targetChange: { targetChangeType: 'REMOVE', targetIds: [t.targetId], cause: err.toStatus() } });
        }
      }
      if (session.closed) return;
      for (const m of messages) if (!denied.has(m.t) && session.targets.get(m.t.targetId) === m.t) session.send(m.r);
      session.send({ targetChange: { targetChangeType: 'NO_CHANGE', targetIds: [], resumeToken: token, readTime } });
    });
  }

  /** The documents a target holds right now. */
  private evaluate(t: TargetState): Document[] {
    if (t.docNames) return [...t.docNames].flatMap((n) => this.deps.get(n) ?? []);
    const q = t.query as CompiledQuery;
    const docs = execute(q, this.deps.candidates(q));
    if (q.limit !== undefined || q.offset) t.window = docs;
    return docs;
  }

  /**
   * Ends one target whose evaluation failed: it leaves the index and its stream hears REMOVE with the cause, in the
   * stream's order. Nothing else (the commit, the other targets, the other streams) is touched.
   */
  private failTarget(t: TargetState, e: unknown): void {
    this.log('listen-target-failed', { targetId: t.targetId, error: String(e) });
    this.unindex(t);
    const { session } = t;
    if (session.targets.get(t.targetId) === t) session.targets.delete(t.targetId);
    const cause = statusOf(e);
    session.enqueue(() => {
      if (!session.closed) session.send({ targetChange: { targetChangeType: 'REMOVE', targetIds: [t.targetId], cause } });
    });
  }

  /**
   * Fans one commit out to the targets it can affect. Each target is evaluated on its own: one that throws (a
   * matcher that cannot compare what it meets) is failed alone, so no target can fail the commit or starve the others.
   */
  onCommit(e: CommitEvent): void {
    const touched = new Map<Session, { t: TargetState; r: ListenResponse }[]>();
    const out = (t: TargetState, r: ListenResponse) => {
      let list = touched.get(t.session);
      if (!list) touched.set(t.session, (list = []));
      list.push({ t, r });
    };
    const windowed = new Set<TargetState>();

    for (const c of e.changes) {
      const coll = collectionOf(c.name);
      const collId = coll.slice(coll.lastIndexOf('/') + 1);
      const targets: TargetState[] = [
        ...(this.byDoc.get(c.name) ?? []),
        ...(this.byCollection.get(coll) ?? []),
        ...[...(this.byGroup.get(collId) ?? [])].filter((t) => t.query?.inScope(c.name)),
      ];
      for (const t of targets) {
        if (t.session.database !== e.database || t.session.targets.get(t.targetId) !== t) continue;
        try {
          const q = t.query;
          if (q && (q.limit !== undefined || q.offset)) {
            if (this.mayAffectWindow(t, q, c.name, c.after)) windowed.add(t);
            continue;
          }
          const accepted = c.after !== null && (!q || q.accepts(c.after));
          if (accepted && c.after) {
            t.current.set(c.name, c.after);
            out(t, { documentChange: { document: c.after, targetIds: [t.targetId] } });
          } else if (t.current.delete(c.name)) {
            out(t, removal(c.name, t.targetId, c.after !== null, e.commitTime));
          }
        } catch (err) {
          windowed.delete(t);
          this.failTarget(t, err);
        }
      }
    }

    for (const t of windowed) {
      if (t.session.targets.get(t.targetId) !== t) continue;
      let next: Document[];
      try {
        next = this.evaluate(t);
      } catch (err) {
        this.failTarget(t, err);
        continue;
      }
      const nextNames = new Set(next.map((d) => d.name));
      for (const [name] of t.current) {
        if (!nextNames.has(name)) {
          t.current.delete(name);
          out(t, removal(name, t.targetId, this.deps.get(name) !== null, e.commitTime));
        }
      }
      for (const d of next) {
        const had = t.current.get(d.name);
        if (!had || had.updateTime !== d.updateTime) {
          t.current.set(d.name, d);
          out(t, { documentChange: { document: d, targetIds: [t.targetId] } });
        }
      }
    }

    const token = resumeToken(e.commitTime);
    for (const [session, all] of touched) {
      if (session.closed) continue;
      // What was gathered for a target that failed later in this commit is not sent.
      const messages = all.filter((m) => session.targets.get(m.t.targetId) === m.t);
      if (!messages.length) continue;
      // The server's own clients skip the rules, and get their changes at once.
      if (!session.ctx.admin) {
        this.deliverJudged(session, messages, token, e.commitTime);
        continue;
      }
      try {
        for (const m of messages) session.send(m.r);
        session.send({ targetChange: { targetChangeType: 'NO_CHANGE', targetIds: [], resumeToken: token, readTime: e.commitTime } });
      } catch (err) {
        // The stream's transport broke while sending: that stream is over; the others still get the commit.
        this.log('listen-send-failed', { error: String(err) });
        session.close();
      }
    }
  }

  /** A change matters to a limit window when it touches a member or would sort into it. */
  private mayAffectWindow(t: TargetState, q: CompiledQuery, name: string, after: Document | null): boolean {
    if (t.current.has(name)) return true;
    if (!after || !q.accepts(after)) return false;
    const w = t.window ?? [];
    if (q.offset) return true;
    if (q.limit === undefined || w.length < q.limit) return true;
    const last = w[w.length - 1];
    return !last || q.compare(after, last) < 0;
  }
}

/** The status a failed target is removed with: the engine's own error as it is, anything else as INTERNAL. */
function statusOf(e: unknown): RpcStatus {
  return (e instanceof FirestoreError ? e : new FirestoreError(Code.INTERNAL, `Listen target failed: ${String(e)}`)).toStatus();
}

function removal(name: string, targetId: number, stillExists: boolean, readTime: string): ListenResponse {
  return stillExists
    ? { documentRemove: { document: name, removedTargetIds: [targetId], readTime } }
    : { documentDelete: { document: name, removedTargetIds: [targetId], readTime } };
}
