/**
 * A StructuredQuery as the engine understands it: validated once and normalised into one immutable object that both
 * the Security Rules judge and the query executor read. Nothing downstream looks at the wire message again, so the
 * rules can never judge one reading of a query while the executor runs another (an ambiguous filter that set two
 * oneof members was judged on one and executed on the other).
 */
import { Code, FirestoreError, type FieldFilterOp, type UnaryFilterOp, type Value } from './types';
import { collectionOf, docName, splitName } from './paths';
import { checkValue, clone } from './values';
import { fieldPathOf, isObject, oneOf, requireObject } from './validate';

/** A filter after normalisation: exactly one kind, paths parsed, values validated and copied. */
export type NormalFilter =
  | { readonly kind: 'and' | 'or'; readonly filters: readonly NormalFilter[] }
  | { readonly kind: 'field'; readonly fieldPath: string; readonly path: readonly string[]; readonly op: FieldFilterOp; readonly value: Value }
  | { readonly kind: 'unary'; readonly fieldPath: string; readonly path: readonly string[]; readonly op: UnaryFilterOp };

/** A field filter or unary filter: the leaves of a filter tree. */
export type NormalLeaf = Extract<NormalFilter, { kind: 'field' | 'unary' }>;

/** One order of a query: a parsed field path and its direction. */
export interface NormalOrder {
  /** The field path as the client wrote it (what `request.query.orderBy` shows the rules). */
  readonly fieldPath: string;
  readonly path: readonly string[];
  readonly descending: boolean;
}

/** A cursor (startAt / endAt) whose values fit the query's total order. */
export interface NormalCursor {
  readonly values: readonly Value[];
  /** True for startAt/endBefore (the position is before the values), false for startAfter/endAt. */
  readonly before: boolean;
}

const NAME = '__name__';
/** Firestore's limit on values of in / not-in / array-contains-any. */
const MAX_LIST_VALUES = 30;
/** Nesting of composite filters beyond this is refused (no SDK comes near it; it bounds the recursion). */
const MAX_FILTER_DEPTH = 20;
const MAX_INT32 = 2 ** 31 - 1;

const FIELD_OPS: ReadonlySet<string> = new Set<FieldFilterOp>([
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'EQUAL',
  'NOT_EQUAL',
  'ARRAY_CONTAINS',
  'IN',
  'ARRAY_CONTAINS_ANY',
  'NOT_IN',
]);
const UNARY_OPS: ReadonlySet<string> = new Set<UnaryFilterOp>(['IS_NAN', 'IS_NULL', 'IS_NOT_NAN', 'IS_NOT_NULL']);
const LIST_OPS: ReadonlySet<string> = new Set(['IN', 'NOT_IN', 'ARRAY_CONTAINS_ANY']);
/** Operators whose field joins the implicit order (Firestore orders by inequality fields after the explicit ones). */
const INEQUALITY_OPS: ReadonlySet<string> = new Set(['LESS_THAN', 'LESS_THAN_OR_EQUAL', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'NOT_EQUAL', 'NOT_IN']);

function invalid(message: string): FirestoreError {
  return new FirestoreError(Code.INVALID_ARGUMENT, message);
}

function isFieldOp(op: unknown): op is FieldFilterOp {
  return typeof op === 'string' && FIELD_OPS.has(op);
}

function isUnaryOp(op: unknown): op is UnaryFilterOp {
  return typeof op === 'string' && UNARY_OPS.has(op);
}

/** One key per distinct path, whatever quoting the client used (`a.b` and `` `a`.b `` are the same field). */
function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

function isName(path: readonly string[]): boolean {
  return path.length === 1 && path[0] === NAME;
}

function fieldOf(ref: unknown, what: string): { fieldPath: string; path: string[] } {
  requireObject(ref, what);
  const fieldPath = ref.fieldPath;
  const path = fieldPathOf(fieldPath, `${what}.fieldPath`);
  return { fieldPath: String(fieldPath), path };
}

/** A value the query compares with `__name__` must be a document reference. */
function checkNameValue(v: Value, what: string): void {
  if (!('referenceValue' in v)) throw invalid(`${what} on __name__ needs a document reference`);
}

function normalizeFilter(f: unknown, depth: number): NormalFilter {
  if (depth > MAX_FILTER_DEPTH) throw invalid(`Filters nested more than ${MAX_FILTER_DEPTH} deep`);
  requireObject(f, 'Filter');
  const kind = oneOf(f, ['compositeFilter', 'fieldFilter', 'unaryFilter'], 'Filter');
  if (kind === undefined) throw invalid('A filter needs one of compositeFilter, fieldFilter, unaryFilter');
  const body = f[kind];
  requireObject(body, `Filter.${kind}`);
  if (kind === 'compositeFilter') {
    if (body.op !== 'AND' && body.op !== 'OR') throw invalid(`Unknown composite operator ${String(body.op).slice(0, 40)}`);
    const parts = body.filters;
    if (!Array.isArray(parts) || parts.length === 0) throw invalid('A composite filter needs at least one filter');
    const filters = (parts as readonly unknown[]).map((p) => normalizeFilter(p, depth + 1));
    return Object.freeze({ kind: body.op === 'OR' ? 'or' : 'and', filters: Object.freeze(filters) });
  }
  const { fieldPath, path } = fieldOf(body.field, `${kind}.field`);
  if (kind === 'unaryFilter') {
    if (!isUnaryOp(body.op)) throw invalid(`Unknown unary operator ${String(body.op).slice(0, 40)}`);
    if (isName(path)) throw invalid(`${body.op} cannot apply to __name__`);
    return Object.freeze({ kind: 'unary', fieldPath, path: Object.freeze(path), op: body.op });
  }
  const op = body.op;
  if (!isFieldOp(op)) throw invalid(`Unknown filter operator ${String(op).slice(0, 40)}`);
  const raw = body.value;
  checkValue(raw);
  const value = clone(raw);
  if (LIST_OPS.has(op)) {
    if (!('arrayValue' in value)) throw invalid(`${op} needs an array value`);
    const vs = value.arrayValue.values ?? [];
    if (vs.length === 0 || vs.length > MAX_LIST_VALUES) throw invalid(`${op} takes 1 to ${MAX_LIST_VALUES} values`);
    if (isName(path)) {
      if (op === 'ARRAY_CONTAINS_ANY') throw invalid('ARRAY_CONTAINS_ANY cannot apply to __name__');
      for (const v of vs) checkNameValue(v, op);
    }
  } else if (isName(path)) {
    if (op === 'ARRAY_CONTAINS') throw invalid('ARRAY_CONTAINS cannot apply to __name__');
    checkNameValue(value, op);
  }
  return Object.freeze({ kind: 'field', fieldPath, path: Object.freeze(path), op, value });
}

/** Inequality fields in order of appearance, one per distinct path. */
function inequalityOrders(f: NormalFilter | undefined, out: NormalOrder[], seen: Set<string>): void {
  if (!f) return;
  if (f.kind === 'and' || f.kind === 'or') {
    for (const g of f.filters) inequalityOrders(g, out, seen);
    return;
  }
  if (f.kind !== 'field' || !INEQUALITY_OPS.has(f.op)) return;
  const key = pathKey(f.path);
  if (seen.has(key)) return;
  seen.add(key);
  out.push({ fieldPath: f.fieldPath, path: f.path, descending: false });
}

function integer(v: unknown, what: string, min: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  // proto3 JSON may carry an Int32Value as a number, a numeric string, or (gRPC) unwrapped already.
  const wrapped = isObject(v) ? v.value : v;
  const n = typeof wrapped === 'string' && /^-?\d+$/.test(wrapped) ? Number(wrapped) : wrapped;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > MAX_INT32) throw invalid(`${what} must be an integer from ${min}`);
  return n;
}

/** The documents a `__name__` cursor value may name: ones the query's scope could return. */
function checkCursorName(ref: string, parent: string, collectionId: string, allDescendants: boolean, what: string): void {
  docName(ref);
  const inScope = allDescendants ? ref.startsWith(`${parent}/`) : collectionOf(ref) === `${parent}/${collectionId}`;
  if (!inScope) throw invalid(`${what}: the __name__ value ${ref.slice(0, 300)} is not a document of the queried collection`);
}

/**
 * A StructuredQuery over one parent, validated and normalised. Construct it only with `NormalQuery.parse`; the
 * Security Rules (`Authorizer.authorizeList`) and the executor (`compileQuery`) both take this object, never the
 * request.
 */
export class NormalQuery {
  private constructor(
    /** Full name of the parent: projects/p/databases/d/documents[/doc path]. */
    readonly parent: string,
    readonly collectionId: string,
    readonly allDescendants: boolean,
    readonly where: NormalFilter | undefined,
    /** The orders the client asked for. */
    readonly orderBy: readonly NormalOrder[],
    /** The total order results follow: explicit orders, then inequality fields, then `__name__`. */
    readonly order: readonly NormalOrder[],
    readonly startAt: NormalCursor | undefined,
    readonly endAt: NormalCursor | undefined,
    readonly limit: number | undefined,
    readonly offset: number,
    /** Parsed paths of `select`, if any. */
    readonly select: readonly (readonly string[])[] | undefined,
  ) {
    Object.freeze(this);
  }

  /**
   * Validates and normalises a query. Refuses (INVALID_ARGUMENT) a message with more than one member of a oneof,
   * unknown operators, invalid values, reserved field names, duplicate orders and cursors that do not fit the order.
   * @param parent - the request's parent: projects/p/databases/d/documents[/doc path]
   * @param raw - the untrusted structuredQuery
   * @throws FirestoreError INVALID_ARGUMENT
   */
  static parse(parent: string, raw: unknown): NormalQuery {
    if (typeof parent !== 'string') throw invalid('A query needs a parent');
    const p = splitName(parent);
    if (p.segments.length % 2 !== 0) throw invalid(`Invalid query parent: ${parent.slice(0, 300)}`);
    if (!isObject(raw)) throw invalid('Missing structuredQuery');

    const from = raw.from;
    if (!Array.isArray(from) || from.length !== 1) throw invalid('A query needs exactly one collection in `from`');
    const selector: unknown = from[0];
    requireObject(selector, 'from');
    const collectionId = selector.collectionId;
    if (typeof collectionId !== 'string' || collectionId === '' || collectionId.includes('/'))
      throw invalid('A query needs a collectionId');
    // The collection id must be a valid path segment (not reserved, not too long), as in a document name.
    splitName(`${parent}/${collectionId}`);
    const allDescendants = selector.allDescendants ?? false;
    if (typeof allDescendants !== 'boolean') throw invalid('allDescendants must be a boolean');

    const where = raw.where === undefined ? undefined : normalizeFilter(raw.where, 0);

    const orderBy: NormalOrder[] = [];
    const seen = new Set<string>();
    if (raw.orderBy !== undefined) {
      if (!Array.isArray(raw.orderBy)) throw invalid('orderBy must be a list');
      for (const o of raw.orderBy as readonly unknown[]) {
        requireObject(o, 'orderBy');
        const { fieldPath, path } = fieldOf(o.field, 'orderBy.field');
        const dir = o.direction;
        if (dir !== undefined && dir !== 'ASCENDING' && dir !== 'DESCENDING' && dir !== 'DIRECTION_UNSPECIFIED')
          throw invalid(`Unknown order direction ${String(dir).slice(0, 40)}`);
        const key = pathKey(path);
        if (seen.has(key)) throw invalid(`orderBy names ${fieldPath.slice(0, 200)} more than once`);
        seen.add(key);
        orderBy.push(Object.freeze({ fieldPath, path: Object.freeze(path), descending: dir === 'DESCENDING' }));
      }
    }
    const order = [...orderBy];
    inequalityOrders(where, order, seen);
    if (!seen.has(pathKey([NAME]))) {
      const last = order[order.length - 1];
      order.push(Object.freeze({ fieldPath: NAME, path: Object.freeze([NAME]), descending: last?.descending ?? false }));
    }

    const cursor = (c: unknown, what: string): NormalCursor | undefined => {
      if (c === undefined) return undefined;
      requireObject(c, what);
      const values = c.values;
      if (!Array.isArray(values) || values.length === 0) throw invalid(`${what} needs at least one value`);
      if (values.length > order.length)
        throw invalid(`${what} has ${values.length} values but the query orders by ${order.length} fields`);
      const out = (values as readonly unknown[]).map((v, i) => {
        checkValue(v);
        const o = order[i];
        if (o && isName(o.path)) {
          if (!('referenceValue' in v)) throw invalid(`${what}: the value for __name__ must be a document reference`);
          checkCursorName(v.referenceValue, parent, collectionId, allDescendants, what);
        }
        return clone(v);
      });
      const before = c.before ?? false;
      if (typeof before !== 'boolean') throw invalid(`${what}.before must be a boolean`);
      return Object.freeze({ values: Object.freeze(out), before });
    };
    const startAt = cursor(raw.startAt, 'startAt');
    const endAt = cursor(raw.endAt, 'endAt');

    const limit = integer(raw.limit, 'limit', 0);
    const offset = integer(raw.offset, 'offset', 0) ?? 0;

    let select: (readonly string[])[] | undefined;
    if (raw.select !== undefined) {
      requireObject(raw.select, 'select');
      const fields = raw.select.fields;
      if (fields !== undefined) {
        if (!Array.isArray(fields)) throw invalid('select.fields must be a list');
        select = (fields as readonly unknown[]).map((f) => Object.freeze(fieldOf(f, 'select.fields').path));
      }
    }

    return new NormalQuery(
      parent,
      collectionId,
      allDescendants,
      where,
      Object.freeze(orderBy),
      Object.freeze(order),
      startAt,
      endAt,
      limit,
      offset,
      select ? Object.freeze(select) : undefined,
    );
  }
}
