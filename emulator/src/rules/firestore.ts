/**
 * Security Rules for the Firestore engine: turns engine requests (get, list, commits) into rules requests and judges
 * them. Queries are judged the Firebase way: from their constraints, never by filtering results — a document field
 * the query does not pin down is unknown, and a condition that cannot be proven true for every document the query
 * could return denies the whole query.
 */
import { Code, FirestoreError, type Authorizer, type Document, type RequestContext, type Value } from '../firestore/types';
import type { NormalFilter, NormalLeaf, NormalQuery } from '../firestore/normalize';
import { compileRules, type Ruleset } from './compile';
import { ANY_PREFIX, LookupBudget, type DocumentAccess, type RequestSegment } from './evaluator';
import type { Method } from './ast';
import { fieldsToMap, fromFirestore, fromJs, RMap, RPath, RTimestamp, Unknown, type Constraint, type RValue } from './values';

/** Firebase's limits on get()/exists() calls: 10 for one document, 20 for a batch or transaction of several. */
export const SINGLE_DOC_LOOKUPS = 10;
export const MULTI_DOC_LOOKUPS = 20;
/** More OR branches than this are refused rather than judged (Firestore allows 30 disjunctions). */
const MAX_BRANCHES = 64;

export interface FirestoreRulesOptions {
  /** Reads the current state of a document (no locks, no rules). */
  read(name: string): Document | null;
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

/** `projects/p/databases/(default)/documents/a/b` → segments from `databases` on. */
function segmentsOf(name: string): string[] {
  const parts = name.split('/');
  const at = parts.indexOf('databases');
  return at >= 0 ? parts.slice(at) : parts;
}

/** The rules view of a stored document: `{ data, id, __name__ }`. */
export function resourceOf(doc: Document): RMap {
  const segs = segmentsOf(doc.name);
  return RMap.of({ data: fieldsToMap(doc.fields ?? {}), id: segs[segs.length - 1] ?? '', __name__: new RPath(segs) });
}

function authValue(ctx: RequestContext): RValue {
  if (!ctx.auth) return null;
  return RMap.of({ uid: ctx.auth.uid, token: fromJs(ctx.auth.token) });
}

function timeOf(iso?: string): RTimestamp {
  return iso ? RTimestamp.fromString(iso) : new RTimestamp(BigInt(Date.now()) * 1000n);
}

function denied(method: Method, path: string, reason: string): FirestoreError {
  return new FirestoreError(Code.PERMISSION_DENIED, `Missing or insufficient permissions: ${method} on ${path} denied (${reason})`);
}

/** A conjunction of field filters, as one branch of the query's filter in disjunctive normal form. */
type Conjunction = NormalLeaf[];

function dnf(f: NormalFilter | undefined): Conjunction[] {
  if (!f) return [[]];
  if (f.kind === 'field' || f.kind === 'unary') return [[f]];
  const parts = f.filters.map(dnf);
  if (f.kind === 'or') {
    const out = parts.flat();
    if (out.length > MAX_BRANCHES) throw new FirestoreError(Code.INVALID_ARGUMENT, `Query has more than ${MAX_BRANCHES} OR branches`);
    return out.length ? out : [[]];
  }
  let acc: Conjunction[] = [[]];
  for (const p of parts) {
    const next: Conjunction[] = [];
    for (const a of acc) for (const b of p) next.push([...a, ...b]);
    if (next.length > MAX_BRANCHES) throw new FirestoreError(Code.INVALID_ARGUMENT, `Query has more than ${MAX_BRANCHES} OR branches`);
    acc = next;
  }
  return acc;
}

interface Node {
  c: Constraint;
  children: Map<string, Node>;
}

function toUnknown(n: Node, label: string): Unknown {
  const fields = new Map<string, Unknown>();
  for (const [k, child] of n.children) fields.set(k, toUnknown(child, `${label}.${k}`));
  return new Unknown(fields.size ? { ...n.c, fields } : n.c, label);
}

function listValues(v: Value): RValue[] {
  return 'arrayValue' in v ? (v.arrayValue.values ?? []).map(fromFirestore) : [];
}

/** What one branch of a query says about the documents it may return, as the unknown `resource.data`. */
function constrainedData(conj: Conjunction): Unknown {
  const root: Node = { c: {}, children: new Map() };
  for (const f of conj) {
    const path = f.path;
    if (path.length === 1 && path[0] === '__name__') continue;
    let node = root;
    for (const seg of path) {
      let next = node.children.get(seg);
      if (!next) {
        next = { c: {}, children: new Map() };
        node.children.set(seg, next);
      }
      node = next;
    }
    const c = node.c;
    if (f.kind === 'field') {
      const v = f.value;
      switch (f.op) {
        case 'EQUAL':
          c.oneOf = [fromFirestore(v)];
          break;
        case 'IN':
          c.oneOf = listValues(v);
          break;
        case 'NOT_EQUAL':
          c.noneOf = [...(c.noneOf ?? []), fromFirestore(v)];
          break;
        case 'NOT_IN':
          c.noneOf = [...(c.noneOf ?? []), ...listValues(v)];
          break;
        case 'LESS_THAN':
        case 'LESS_THAN_OR_EQUAL':
          c.upper = { value: fromFirestore(v), inclusive: f.op === 'LESS_THAN_OR_EQUAL' };
          break;
        case 'GREATER_THAN':
        case 'GREATER_THAN_OR_EQUAL':
          c.lower = { value: fromFirestore(v), inclusive: f.op === 'GREATER_THAN_OR_EQUAL' };
          break;
        case 'ARRAY_CONTAINS':
          c.contains = fromFirestore(v);
          break;
        case 'ARRAY_CONTAINS_ANY':
          c.containsAny = listValues(v);
          break;
      }
    } else {
      switch (f.op) {
        case 'IS_NULL':
          c.oneOf = [null];
          break;
        case 'IS_NAN':
          c.oneOf = [Number.NaN];
          break;
        case 'IS_NOT_NULL':
          c.noneOf = [...(c.noneOf ?? []), null];
          break;
        case 'IS_NOT_NAN':
          break;
      }
    }
  }
  return toUnknown(root, 'resource.data');
}

/** One judged request, for observers (tests that bound the cost of the rules, tools that trace decisions). */
export interface RulesDecisionEvent {
  method: Method;
  /** The document or collection path, from `/databases/`. */
  path: string;
  allowed: boolean;
  /** Distinct documents the rules read with get()/exists()/getAfter()/existsAfter() for this request. */
  lookups: number;
}

/** Holds the current Firestore rules and judges engine requests with them. */
export class FirestoreRules {
  private ruleset: Ruleset | null = null;
  private readonly observers = new Set<(e: RulesDecisionEvent) => void>();

  constructor(private readonly opts: FirestoreRulesOptions) {}

  /**
   * Replaces the rules; a file that does not compile throws and leaves the last good rules in force.
   * @throws RulesCompileError
   */
  load(source: string, fileName = 'firestore.rules'): void {
    const next = compileRules(source, fileName);
    if (!next.hasService('cloud.firestore')) throw new FirestoreError(Code.INVALID_ARGUMENT, `${fileName} has no 'service cloud.firestore' block`);
    this.ruleset = next;
    this.opts.log?.('rules-loaded', { service: 'cloud.firestore', fileName });
  }

  get loaded(): boolean {
    return this.ruleset !== null;
  }

  /**
   * Calls `fn` after every judged request.
   * @returns a function that stops observing
   */
  observe(fn: (e: RulesDecisionEvent) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  private report(method: Method, path: string, allowed: boolean, budget: LookupBudget): void {
    for (const fn of this.observers) fn({ method, path, allowed, lookups: budget.used });
  }

  private rules(): Ruleset {
    if (!this.ruleset) throw new FirestoreError(Code.PERMISSION_DENIED, 'No Firestore security rules are loaded: every client request is denied');
    return this.ruleset;
  }

  private access(readAfter?: (name: string) => Document | null, database?: string): DocumentAccess {
    return {
      read: (p: RPath, after: boolean) => {
        const name = `projects/${projectOf(database)}/${p.segments.join('/')}`;
        const doc = after && readAfter ? readAfter(name) : this.findDocument(p, database);
        return doc ? resourceOf(doc) : null;
      },
    };
  }

  /** get() paths start at `databases/`: find the stored document whatever the project id. */
  private findDocument(p: RPath, database?: string): Document | null {
    return this.opts.read(`projects/${projectOf(database)}/${p.segments.join('/')}`);
  }

  /** The engine's Authorizer. */
  authorizer(): Authorizer {
    return {
      authorizeGet: async (ctx, name, existing) => {
        await Promise.resolve();
        const db = name.slice(0, name.indexOf('/documents'));
        const segs = segmentsOf(name);
        const budget = new LookupBudget(SINGLE_DOC_LOOKUPS);
        const decision = this.rules().evaluate('cloud.firestore', {
          path: segs,
          method: 'get',
          request: RMap.of({ auth: authValue(ctx), method: 'get', path: new RPath(segs), time: timeOf() }),
          resource: existing ? resourceOf(existing) : null,
          access: this.access(undefined, db),
          budget,
        });
        this.report('get', `/${segs.join('/')}`, decision.allowed, budget);
        if (!decision.allowed) throw denied('get', `/${segs.join('/')}`, decision.reason);
      },
      authorizeList: async (ctx, query) => {
        await Promise.resolve();
        this.judgeList(ctx, query);
      },
      authorizeWrites: async (ctx, database, changes, readAfter, time) => {
        await Promise.resolve();
        const rules = this.rules();
        const whole = new LookupBudget(changes.length > 1 ? MULTI_DOC_LOOKUPS : SINGLE_DOC_LOOKUPS);
        const access = this.access(readAfter, database);
        const now = timeOf(time);
        for (const ch of changes) {
          const segs = segmentsOf(ch.name);
          const request: Record<string, RValue> = { auth: authValue(ctx), method: ch.method, path: new RPath(segs), time: now, resource: ch.after ? resourceOf(ch.after) : null };
          const budget = changes.length > 1 ? new LookupBudget(SINGLE_DOC_LOOKUPS, whole) : whole;
          const decision = rules.evaluate('cloud.firestore', {
            path: segs,
            method: ch.method,
            request: RMap.of(request),
            resource: ch.before ? resourceOf(ch.before) : null,
            access,
            budget,
          });
          this.report(ch.method, `/${segs.join('/')}`, decision.allowed, budget);
          if (!decision.allowed) throw denied(ch.method, `/${segs.join('/')}`, decision.reason);
        }
      },
    };
  }

  /**
   * A query is allowed only if the rules hold for every document each branch of its filter could return. It reads
   * the NormalQuery the executor runs, so what is judged is what runs.
   */
  private judgeList(ctx: RequestContext, query: NormalQuery): void {
    const rules = this.rules();
    const { parent, collectionId, allDescendants } = query;
    const parentSegs = segmentsOf(parent);
    const path: RequestSegment[] = allDescendants
      ? [...parentSegs, ANY_PREFIX, collectionId, new Unknown({}, 'document id')]
      : [...parentSegs, collectionId, new Unknown({}, 'document id')];
    const shown = `/${[...parentSegs, ...(allDescendants ? ['**'] : []), collectionId].join('/')}`;
    const db = parent.slice(0, parent.indexOf('/documents'));
    const q: Record<string, RValue> = {};
    if (query.limit !== undefined) q.limit = BigInt(query.limit);
    q.offset = BigInt(query.offset);
    const firstOrder = query.orderBy[0]?.fieldPath;
    if (firstOrder) q.orderBy = firstOrder;
    const budget = new LookupBudget(SINGLE_DOC_LOOKUPS);
    for (const branch of dnf(query.where)) {
      const resource = RMap.of({ data: constrainedData(branch), id: new Unknown({}, 'resource.id'), __name__: new Unknown({}, 'resource.__name__') });
      const decision = rules.evaluate('cloud.firestore', {
        path,
        method: 'list',
        request: RMap.of({ auth: authValue(ctx), method: 'list', path: new RPath(parentSegs.concat(collectionId)), query: RMap.of(q), time: timeOf() }),
        resource,
        access: this.access(undefined, db),
        budget,
      });
      if (!decision.allowed) {
        this.report('list', shown, false, budget);
        throw denied('list', shown, decision.reason);
      }
    }
    this.report('list', shown, true, budget);
  }
}

function projectOf(database?: string): string {
  return database?.split('/')[1] ?? 'demo-project';
}
