/**
 * StructuredQuery → a compiled query: scope (which collection), a matcher, a total order and cursor bounds.
 * The same compiled query serves runQuery, aggregations and listen targets.
 */
import { Code, FirestoreError, type Cursor, type Document, type Filter, type StructuredQuery, type Value } from './types';
import { compareReferences, compareValues, getField, isNaNValue, parseFieldPath, valuesEqual } from './values';

export interface CompiledQuery {
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
  projection: string[][] | undefined;
  orderBy: { path: string[]; descending: boolean }[];
}

const NAME = '__name__';

function fieldValue(doc: Document, path: string[]): Value | undefined {
  if (path.length === 1 && path[0] === NAME) return { referenceValue: doc.name };
  return getField(doc.fields, path);
}

function compileFilter(f: Filter): (doc: Document) => boolean {
  if (f.compositeFilter) {
    const parts = (f.compositeFilter.filters ?? []).map(compileFilter);
    if (f.compositeFilter.op === 'OR') return (d) => parts.some((p) => p(d));
    return (d) => parts.every((p) => p(d));
  }
  if (f.unaryFilter) {
    const path = parseFieldPath(f.unaryFilter.field.fieldPath);
    switch (f.unaryFilter.op) {
      case 'IS_NAN':
        return (d) => {
          const v = fieldValue(d, path);
          return v !== undefined && isNaNValue(v);
        };
      case 'IS_NULL':
        return (d) => {
          const v = fieldValue(d, path);
          return v !== undefined && 'nullValue' in v;
        };
      case 'IS_NOT_NAN':
        return (d) => {
          const v = fieldValue(d, path);
          return v !== undefined && !isNaNValue(v) && !('nullValue' in v);
        };
      case 'IS_NOT_NULL':
        return (d) => {
          const v = fieldValue(d, path);
          return v !== undefined && !('nullValue' in v);
        };
      default:
        throw new FirestoreError(Code.INVALID_ARGUMENT, `Unknown unary operator`);
    }
  }
  if (f.fieldFilter) {
    const { op, value } = f.fieldFilter;
    const path = parseFieldPath(f.fieldFilter.field.fieldPath);
    const list = (): Value[] => {
      if (!('arrayValue' in value)) throw new FirestoreError(Code.INVALID_ARGUMENT, `${op} needs an array value`);
      const vs = value.arrayValue.values ?? [];
      if (vs.length > 30) throw new FirestoreError(Code.INVALID_ARGUMENT, `${op} takes at most 30 values`);
      return vs;
    };
    // Range filters only match values of the same type order, as in Firestore.
    const range = (test: (c: number) => boolean) => (d: Document) => {
      const v = fieldValue(d, path);
      if (v === undefined || isNaNValue(v) || isNaNValue(value)) return false;
      if (!sameTypeOrder(v, value)) return false;
      return test(compareValues(v, value));
    };
    switch (op) {
      case 'EQUAL':
        return (d) => {
          const v = fieldValue(d, path);
          return v !== undefined && valuesEqual(v, value);
        };
      case 'NOT_EQUAL':
        return (d) => {
          const v = fieldValue(d, path);
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
          const v = fieldValue(d, path);
          return v !== undefined && 'arrayValue' in v && (v.arrayValue.values ?? []).some((x) => valuesEqual(x, value));
        };
      case 'IN': {
        const vs = list();
        return (d) => {
          const v = fieldValue(d, path);
          return v !== undefined && vs.some((x) => valuesEqual(v, x));
        };
      }
      case 'ARRAY_CONTAINS_ANY': {
        const vs = list();
        return (d) => {
          const v = fieldValue(d, path);
          return (
            v !== undefined && 'arrayValue' in v && (v.arrayValue.values ?? []).some((x) => vs.some((y) => valuesEqual(x, y)))
          );
        };
      }
      case 'NOT_IN': {
        const vs = list();
        return (d) => {
          const v = fieldValue(d, path);
          return v !== undefined && !('nullValue' in v) && !vs.some((x) => valuesEqual(v, x));
        };
      }
      default:
        throw new FirestoreError(Code.INVALID_ARGUMENT, `Unknown filter operator ${String(op)}`);
    }
  }
  throw new FirestoreError(Code.INVALID_ARGUMENT, 'Empty filter');
}

function sameTypeOrder(a: Value, b: Value): boolean {
  const ta = Object.keys(a)[0];
  const tb = Object.keys(b)[0];
  const num = (t: string | undefined) => (t === 'integerValue' || t === 'doubleValue' ? 'number' : t);
  return num(ta) === num(tb);
}

/** Field paths used by inequality filters, in order of appearance (they join the implicit order). */
function inequalityFields(f: Filter | undefined, out: string[] = []): string[] {
  if (!f) return out;
  if (f.compositeFilter) for (const g of f.compositeFilter.filters ?? []) inequalityFields(g, out);
  if (f.fieldFilter) {
    const op = f.fieldFilter.op;
    if (['LESS_THAN', 'LESS_THAN_OR_EQUAL', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'NOT_EQUAL', 'NOT_IN'].includes(op)) {
      const p = f.fieldFilter.field.fieldPath;
      if (!out.includes(p)) out.push(p);
    }
  }
  return out;
}

/** Compiles a query over `parent`. Throws INVALID_ARGUMENT on malformed input. */
export function compileQuery(parent: string, q: StructuredQuery): CompiledQuery {
  if (typeof q !== 'object' || q === null) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Missing structuredQuery');
  const from = q.from ?? [];
  if (from.length !== 1 || typeof from[0]?.collectionId !== 'string')
    throw new FirestoreError(Code.INVALID_ARGUMENT, 'A query needs exactly one collection in `from`');
  const { collectionId, allDescendants = false } = from[0];
  const parentPrefix = `${parent}/`;
  const inScope = (name: string): boolean => {
    if (!name.startsWith(parentPrefix)) return false;
    const rest = name.slice(parentPrefix.length).split('/');
    if (rest.length < 2 || rest.length % 2 !== 0) return false;
    if (!allDescendants) return rest.length === 2 && rest[0] === collectionId;
    return rest[rest.length - 2] === collectionId;
  };

  const filter = q.where ? compileFilter(q.where) : () => true;

  // Normalised order: explicit orders, then inequality fields not yet ordered, then __name__.
  const orderBy: { path: string[]; descending: boolean }[] = [];
  const seen = new Set<string>();
  for (const o of q.orderBy ?? []) {
    if (!o?.field?.fieldPath) throw new FirestoreError(Code.INVALID_ARGUMENT, 'orderBy needs a field');
    seen.add(o.field.fieldPath);
    orderBy.push({ path: parseFieldPath(o.field.fieldPath), descending: o.direction === 'DESCENDING' });
  }
  for (const p of inequalityFields(q.where)) {
    if (!seen.has(p)) {
      seen.add(p);
      orderBy.push({ path: parseFieldPath(p), descending: false });
    }
  }
  if (!seen.has(NAME)) {
    const last = orderBy[orderBy.length - 1];
    orderBy.push({ path: [NAME], descending: last?.descending ?? false });
  }

  const compare = (a: Document, b: Document): number => {
    for (const o of orderBy) {
      const va = fieldValue(a, o.path);
      const vb = fieldValue(b, o.path);
      let c: number;
      if (o.path[0] === NAME && o.path.length === 1) c = compareReferences(a.name, b.name);
      else c = va && vb ? compareValues(va, vb) : 0;
      if (c) return o.descending ? -c : c;
    }
    return 0;
  };

  const cursorCompare = (doc: Document, cursor: Cursor): number => {
    const values = cursor.values ?? [];
    for (let i = 0; i < values.length && i < orderBy.length; i++) {
      const o = orderBy[i] as { path: string[]; descending: boolean };
      const cv = values[i] as Value;
      let c: number;
      if (o.path.length === 1 && o.path[0] === NAME) {
        const ref = 'referenceValue' in cv ? cv.referenceValue : undefined;
        if (ref === undefined) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Cursor on __name__ needs a reference');
        c = compareReferences(doc.name, ref.includes('/documents/') ? ref : `${parent}/${ref}`);
      } else {
        const v = fieldValue(doc, o.path);
        c = v ? compareValues(v, cv) : -1;
      }
      if (c) return o.descending ? -c : c;
    }
    return 0;
  };

  const hasOrderFields = (d: Document) =>
    orderBy.every((o) => (o.path.length === 1 && o.path[0] === NAME) || fieldValue(d, o.path) !== undefined);

  const accepts = (d: Document): boolean => {
    if (!hasOrderFields(d) || !filter(d)) return false;
    if (q.startAt) {
      const c = cursorCompare(d, q.startAt);
      if (q.startAt.before ? c < 0 : c <= 0) return false;
    }
    if (q.endAt) {
      const c = cursorCompare(d, q.endAt);
      if (q.endAt.before ? c >= 0 : c > 0) return false;
    }
    return true;
  };

  const limit = q.limit === undefined || q.limit === null ? undefined : Number(q.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
    throw new FirestoreError(Code.INVALID_ARGUMENT, 'limit must be a non-negative integer');
  const offset = Number(q.offset ?? 0);
  if (!Number.isInteger(offset) || offset < 0) throw new FirestoreError(Code.INVALID_ARGUMENT, 'offset must be a non-negative integer');

  return {
    parent,
    collectionId,
    allDescendants,
    inScope,
    matches: filter,
    accepts,
    compare,
    limit,
    offset,
    projection: q.select?.fields ? q.select.fields.map((f) => parseFieldPath(f.fieldPath)) : undefined,
    orderBy,
  };
}

/** Runs a compiled query over candidate documents: filter, sort, offset, limit. */
export function execute(q: CompiledQuery, candidates: Iterable<Document>): Document[] {
  const out: Document[] = [];
  for (const d of candidates) if (q.inScope(d.name) && q.accepts(d)) out.push(d);
  out.sort(q.compare);
  const end = q.limit === undefined ? undefined : q.offset + q.limit;
  return out.slice(q.offset, end);
}

/** Applies a `select` projection. */
export function project(doc: Document, projection: string[][] | undefined): Document {
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
