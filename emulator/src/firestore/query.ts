/**
 * A normalised query (./normalize) → a compiled query: scope (which collection), a matcher, a total order and cursor
 * bounds. The same compiled query serves runQuery, aggregations and listen targets, and carries the NormalQuery it was
 * built from, which is what the Security Rules judge.
 */
import type { Document, Value } from './types';
import { NormalQuery, type NormalCursor, type NormalFilter } from './normalize';
import { compareReferences, compareValues, getField, isNaNValue, valuesEqual } from './values';

export interface CompiledQuery {
  /** The validated query this was compiled from: what the rules judge. */
  normal: NormalQuery;
  /** Full name of the parent: projects/p/databases/d/documents[/doc path]. */
  parent: string;
  collectionId: string;
  allDescendants: boolean;
  /** Does a stored document belong to the queried collection(s)? */
  inScope(name: string): boolean;
  /** Filters only (no cursors). */
  matches(doc: Document): boolean;
  /** Filters, presence of order fields and cursor bounds. */
  accepts(doc: Document): boolean;
  compare(a: Document, b: Document): number;
  limit: number | undefined;
  offset: number;
  /** Field paths of `select`, if any. */
  projection: readonly (readonly string[])[] | undefined;
  orderBy: readonly { path: readonly string[]; descending: boolean }[];
}

const NAME = '__name__';
const SLASH = 0x2f;

function isName(path: readonly string[]): boolean {
  return path.length === 1 && path[0] === NAME;
}

/** Reads one field (or `__name__`) of a document. */
type FieldGetter = (doc: Document) => Value | undefined;

/**
 * The getter of a path, chosen once when the query is compiled rather than on every document: `__name__`, one
 * top-level field (the common case, an own-key look-up), or a nested path.
 */
function fieldGetter(path: readonly string[]): FieldGetter {
  if (isName(path)) return (d) => ({ referenceValue: d.name });
  const [first] = path;
  if (path.length === 1 && first !== undefined)
    // Own keys only, as getField: `constructor` must not find Object.prototype's.
    return (d) => (Object.hasOwn(d.fields, first) ? d.fields[first] : undefined);
  return (d) => getField(d.fields, path);
}

/** One order of a compiled query, with what comparing by it needs worked out once. */
interface CompiledOrder {
  /** Ordering by `__name__`: documents compare by their names, never through a Value. */
  readonly byName: boolean;
  readonly get: FieldGetter;
  readonly descending: boolean;
}

function compileFilter(f: NormalFilter): (doc: Document) => boolean {
  switch (f.kind) {
    case 'and': {
      const parts = f.filters.map(compileFilter);
      return (d) => parts.every((p) => p(d));
    }
    case 'or': {
      const parts = f.filters.map(compileFilter);
      return (d) => parts.some((p) => p(d));
    }
    case 'unary': {
      const fieldValue = fieldGetter(f.path);
      switch (f.op) {
        case 'IS_NAN':
          return (d) => {
            const v = fieldValue(d);
            return v !== undefined && isNaNValue(v);
          };
        case 'IS_NULL':
          return (d) => {
            const v = fieldValue(d);
            return v !== undefined && 'nullValue' in v;
          };
        case 'IS_NOT_NAN':
          return (d) => {
            const v = fieldValue(d);
            return v !== undefined && !isNaNValue(v) && !('nullValue' in v);
          };
        case 'IS_NOT_NULL':
          return (d) => {
            const v = fieldValue(d);
            return v !== undefined && !('nullValue' in v);
          };
      }
      break;
    }
    case 'field':
      return compileFieldFilter(f);
  }
  // Unreachable for a NormalFilter: normalisation refuses every other kind and operator.
  return () => false;
}

function compileFieldFilter(f: Extract<NormalFilter, { kind: 'field' }>): (doc: Document) => boolean {
  const { op, value } = f;
  const fieldValue = fieldGetter(f.path);
  // NormalQuery.parse has checked that list operators carry a non-empty array of at most 30 values.
  const list = (): readonly Value[] => ('arrayValue' in value ? (value.arrayValue.values ?? []) : []);
  // Range filters only match values of the same type order, as in Firestore.
  const range = (test: (c: number) => boolean) => (d: Document) => {
    const v = fieldValue(d);
    if (v === undefined || isNaNValue(v) || isNaNValue(value)) return false;
    if (!sameTypeOrder(v, value)) return false;
    return test(compareValues(v, value));
  };
  switch (op) {
    case 'EQUAL':
      return (d) => {
        const v = fieldValue(d);
        return v !== undefined && valuesEqual(v, value);
      };
    case 'NOT_EQUAL':
      return (d) => {
        const v = fieldValue(d);
        return v !== undefined && !('nullValue' in v) && !valuesEqual(v, value);
      };
    case 'LESS_THAN':
      return range((c) => c < 0);
    case 'LESS_THAN_OR_EQUAL':
      return range((c) => c <= 0);
    case 'GREATER_THAN':
      return range((c) => c > 0);
    case 'GREATER_THAN_OR_EQUAL':
      return range((c) => c >= 0);
    case 'ARRAY_CONTAINS':
      return (d) => {
        const v = fieldValue(d);
        return v !== undefined && 'arrayValue' in v && (v.arrayValue.values ?? []).some((x) => valuesEqual(x, value));
      };
    case 'IN': {
      const vs = list();
      return (d) => {
        const v = fieldValue(d);
        return v !== undefined && vs.some((x) => valuesEqual(v, x));
      };
    }
    case 'ARRAY_CONTAINS_ANY': {
      const vs = list();
      return (d) => {
        const v = fieldValue(d);
        return v !== undefined && 'arrayValue' in v && (v.arrayValue.values ?? []).some((x) => vs.some((y) => valuesEqual(x, y)));
      };
    }
    case 'NOT_IN': {
      const vs = list();
      return (d) => {
        const v = fieldValue(d);
        return v !== undefined && !('nullValue' in v) && !vs.some((x) => valuesEqual(v, x));
      };
    }
  }
}

function sameTypeOrder(a: Value, b: Value): boolean {
  const ta = Object.keys(a)[0];
  const tb = Object.keys(b)[0];
  const num = (t: string | undefined) => (t === 'integerValue' || t === 'doubleValue' ? 'number' : t);
  return num(ta) === num(tb);
}

/**
 * Compiles a query over `parent` from the wire message (validating and normalising it first), or from a NormalQuery
 * already made.
 * @throws FirestoreError INVALID_ARGUMENT on malformed input
 */
export function compileQuery(parent: string, q: unknown): CompiledQuery;
export function compileQuery(normal: NormalQuery): CompiledQuery;
export function compileQuery(a: string | NormalQuery, q?: unknown): CompiledQuery {
  const normal = a instanceof NormalQuery ? a : NormalQuery.parse(a, q);
  const { parent, collectionId, allDescendants } = normal;
  const parentPrefix = `${parent}/`;
  const collectionPrefix = `${parentPrefix}${collectionId}/`;
  // Scope by scanning the name once, without splitting it: this runs for every candidate of every evaluation.
  const inScope = (name: string): boolean => {
    if (!allDescendants) return name.startsWith(collectionPrefix) && name.indexOf('/', collectionPrefix.length) === -1;
    if (!name.startsWith(parentPrefix)) return false;
    // Below the parent: an even number of segments (collection/doc pairs), the last document's collection being
    // collectionId. An even number of segments is an odd number of slashes.
    let slashes = 0;
    for (let i = parentPrefix.length; i < name.length; i++) if (name.charCodeAt(i) === SLASH) slashes++;
    if (slashes % 2 !== 1) return false;
    const last = name.lastIndexOf('/');
    const start = name.lastIndexOf('/', last - 1) + 1;
    return start >= parentPrefix.length && last - start === collectionId.length && name.startsWith(collectionId, start);
  };

  const filter = normal.where ? compileFilter(normal.where) : () => true;
  const orderBy = normal.order;
  const orders: readonly CompiledOrder[] = orderBy.map((o) => ({ byName: isName(o.path), get: fieldGetter(o.path), descending: o.descending }));
  /** Getters of the order fields a document must have to be in the results (`__name__` it always has). */
  const required: readonly FieldGetter[] = orders.filter((o) => !o.byName).map((o) => o.get);

  const compare = (a: Document, b: Document): number => {
    for (const o of orders) {
      let c: number;
      if (o.byName) c = compareReferences(a.name, b.name);
      else {
        const va = o.get(a);
        const vb = o.get(b);
        c = va && vb ? compareValues(va, vb) : 0;
      }
      if (c) return o.descending ? -c : c;
    }
    return 0;
  };

  // NormalQuery.parse has checked that a cursor has no more values than the order has fields, and that the value
  // at the position of __name__ is a reference to a document of the query's scope.
  const cursorCompare = (doc: Document, cursor: NormalCursor): number => {
    const values = cursor.values;
    for (let i = 0; i < values.length && i < orders.length; i++) {
      const o = orders[i];
      const cv = values[i];
      if (!o || !cv) break;
      let c: number;
      if (o.byName) c = 'referenceValue' in cv ? compareReferences(doc.name, cv.referenceValue) : 1;
      else {
        const v = o.get(doc);
        c = v ? compareValues(v, cv) : -1;
      }
      if (c) return o.descending ? -c : c;
    }
    return 0;
  };

  const hasOrderFields = (d: Document): boolean => {
    for (const get of required) if (get(d) === undefined) return false;
    return true;
  };

  const { startAt, endAt } = normal;
  const accepts = (d: Document): boolean => {
    if (!hasOrderFields(d) || !filter(d)) return false;
    if (startAt) {
      const c = cursorCompare(d, startAt);
      if (startAt.before ? c < 0 : c <= 0) return false;
    }
    if (endAt) {
      const c = cursorCompare(d, endAt);
      if (endAt.before ? c >= 0 : c > 0) return false;
    }
    return true;
  };

  return {
    normal,
    parent,
    collectionId,
    allDescendants,
    inScope,
    matches: filter,
    accepts,
    compare,
    limit: normal.limit,
    offset: normal.offset,
    projection: normal.select,
    orderBy,
  };
}

/**
 * Up to this many leading results (offset + limit) are kept in a sorted buffer as candidates stream in, instead of
 * sorting every match: a listener's `orderBy(…).limit(10)` over 100,000 documents is evaluated again on commits that
 * may enter its window. Beyond it, inserting into the buffer would cost more than one sort.
 */
const MAX_TOP_K = 1000;

/** Runs a compiled query over candidate documents: filter, sort, offset, limit. */
export function execute(q: CompiledQuery, candidates: Iterable<Document>): Document[] {
  const end = q.limit === undefined ? undefined : q.offset + q.limit;
  if (end === undefined || end > MAX_TOP_K) {
    const out: Document[] = [];
    for (const d of candidates) if (q.inScope(d.name) && q.accepts(d)) out.push(d);
    out.sort(q.compare);
    return out.slice(q.offset, end);
  }
  // The first `end` matches in order, as a stable sort would leave them: a document equal to one kept goes after it.
  const top: Document[] = [];
  if (end === 0) return top;
  for (const d of candidates) {
    if (!q.inScope(d.name) || !q.accepts(d)) continue;
    const last = top[top.length - 1];
    if (top.length === end && last !== undefined) {
      if (q.compare(d, last) >= 0) continue;
      top.pop();
    }
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = top[mid];
      if (m !== undefined && q.compare(m, d) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, d);
  }
  return top.slice(q.offset);
}

/** Applies a `select` projection. */
export function project(doc: Document, projection: readonly (readonly string[])[] | undefined): Document {
  if (!projection) return doc;
  const fields: Document['fields'] = {};
  for (const p of projection) {
    if (p.length === 1 && p[0] === NAME) continue;
    const v = getField(doc.fields, p);
    if (v === undefined) continue;
    let target = fields;
    for (let i = 0; i < p.length - 1; i++) {
      const k = p[i] as string;
      const existing = target[k];
      if (!existing || !('mapValue' in existing)) target[k] = { mapValue: { fields: {} } };
      const m = target[k] as { mapValue: { fields?: Document['fields'] } };
      m.mapValue.fields ??= {};
      target = m.mapValue.fields;
    }
    target[p[p.length - 1] as string] = v;
  }
  return { ...doc, fields };
}
