/**
 * Firestore values: type order, comparison and equality as Firestore defines them
 * (null < booleans < numbers < timestamps < strings < bytes < references < geopoints < arrays < maps),
 * with integers and doubles compared as one number type and NaN below every other number.
 */
import { Code, FirestoreError, type Fields, type Value } from './types';

export type ValueKind =
  | 'null'
  | 'boolean'
  | 'integer'
  | 'double'
  | 'timestamp'
  | 'string'
  | 'bytes'
  | 'reference'
  | 'geoPoint'
  | 'array'
  | 'map';

/** The kind of a value, or throws INVALID_ARGUMENT when it has no known key. */
export function kindOf(v: Value): ValueKind {
  if ('nullValue' in v) return 'null';
  if ('booleanValue' in v) return 'boolean';
  if ('integerValue' in v) return 'integer';
  if ('doubleValue' in v) return 'double';
  if ('timestampValue' in v) return 'timestamp';
  if ('stringValue' in v) return 'string';
  if ('bytesValue' in v) return 'bytes';
  if ('referenceValue' in v) return 'reference';
  if ('geoPointValue' in v) return 'geoPoint';
  if ('arrayValue' in v) return 'array';
  if ('mapValue' in v) return 'map';
  throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid value: ${JSON.stringify(v).slice(0, 200)}`);
}

const TYPE_ORDER: Record<ValueKind, number> = {
  null: 0,
  boolean: 1,
  integer: 2,
  double: 2,
  timestamp: 3,
  string: 4,
  bytes: 5,
  reference: 6,
  geoPoint: 7,
  array: 8,
  map: 9,
};

export function typeOrder(v: Value): number {
  return TYPE_ORDER[kindOf(v)];
}

/** A timestamp as [seconds, nanos] from RFC 3339 (any number of fractional digits, any offset). */
export function parseTimestamp(s: string): [number, number] {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid timestamp: ${s}`);
  const [, base = '', frac = '', zone = 'Z'] = m;
  const ms = Date.parse(`${base}${zone}`);
  if (Number.isNaN(ms)) throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid timestamp: ${s}`);
  return [Math.floor(ms / 1000), Number(frac.padEnd(9, '0'))];
}

/** Formats seconds+nanos as RFC 3339 UTC with `digits` fractional digits. */
export function formatTimestamp(seconds: number, nanos: number, digits = 9): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(nanos).padStart(9, '0').slice(0, digits)}Z`;
}

export function compareTimestamps(a: string, b: string): number {
  const [as, an] = parseTimestamp(a);
  const [bs, bn] = parseTimestamp(b);
  return as - bs || an - bn;
}

function cmp<T extends number | bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two numbers given as int64 strings or doubles, exactly (BigInt for large integers). */
function compareNumbers(a: Value, b: Value): number {
  const ai = 'integerValue' in a ? BigInt(a.integerValue) : null;
  const bi = 'integerValue' in b ? BigInt(b.integerValue) : null;
  if (ai !== null && bi !== null) return cmp(ai, bi);
  const ad = 'doubleValue' in a ? a.doubleValue : Number(ai);
  const bd = 'doubleValue' in b ? b.doubleValue : Number(bi);
  if (Number.isNaN(ad)) return Number.isNaN(bd) ? 0 : -1;
  if (Number.isNaN(bd)) return 1;
  // A double against a large integer: compare exactly when the double is integral and finite.
  if (ai !== null && Number.isFinite(bd) && Number.isInteger(bd)) return cmp(ai, BigInt(bd));
  if (bi !== null && Number.isFinite(ad) && Number.isInteger(ad)) return cmp(BigInt(ad), bi);
  return cmp(ad, bd);
}

/** Strings compare by UTF-8 bytes, which is code-point order (not JS's UTF-16 order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(j) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return i < a.length ? 1 : j < b.length ? -1 : 0;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/** Resource names compare segment by segment. */
export function compareReferences(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = compareStrings(as[i] ?? '', bs[i] ?? '');
    if (c) return c;
  }
  return as.length - bs.length;
}

/** Total order over Firestore values. */
export function compareValues(a: Value, b: Value): number {
  const ta = typeOrder(a);
  const tb = typeOrder(b);
  if (ta !== tb) return ta - tb;
  if ('nullValue' in a) return 0;
  if ('booleanValue' in a && 'booleanValue' in b) return Number(a.booleanValue) - Number(b.booleanValue);
  if (ta === 2) return compareNumbers(a, b);
  if ('timestampValue' in a && 'timestampValue' in b) return compareTimestamps(a.timestampValue, b.timestampValue);
  if ('stringValue' in a && 'stringValue' in b) return compareStrings(a.stringValue, b.stringValue);
  if ('bytesValue' in a && 'bytesValue' in b) return compareBytes(a.bytesValue, b.bytesValue);
  if ('referenceValue' in a && 'referenceValue' in b) return compareReferences(a.referenceValue, b.referenceValue);
  if ('geoPointValue' in a && 'geoPointValue' in b) {
    const pa = a.geoPointValue;
    const pb = b.geoPointValue;
    return cmp(pa.latitude ?? 0, pb.latitude ?? 0) || cmp(pa.longitude ?? 0, pb.longitude ?? 0);
  }
  if ('arrayValue' in a && 'arrayValue' in b) {
    const xs = a.arrayValue.values ?? [];
    const ys = b.arrayValue.values ?? [];
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      const c = compareValues(xs[i] as Value, ys[i] as Value);
      if (c) return c;
    }
    return xs.length - ys.length;
  }
  if ('mapValue' in a && 'mapValue' in b) {
    const fa = a.mapValue.fields ?? {};
    const fb = b.mapValue.fields ?? {};
    const ka = Object.keys(fa).sort(compareStrings);
    const kb = Object.keys(fb).sort(compareStrings);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const k1 = ka[i] as string;
      const k2 = kb[i] as string;
      const c = compareStrings(k1, k2) || compareValues(fa[k1] as Value, fb[k2] as Value);
      if (c) return c;
    }
    return ka.length - kb.length;
  }
  return 0;
}

/** Equality as used by `==`, `in` and array membership: NaN never equals anything, -0 equals 0. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (isNaNValue(a) || isNaNValue(b)) return false;
  if (typeOrder(a) !== typeOrder(b)) return false;
  if ('arrayValue' in a && 'arrayValue' in b) {
    const xs = a.arrayValue.values ?? [];
    const ys = b.arrayValue.values ?? [];
    return xs.length === ys.length && xs.every((x, i) => valuesEqual(x, ys[i] as Value));
  }
  if ('mapValue' in a && 'mapValue' in b) {
    const fa = a.mapValue.fields ?? {};
    const fb = b.mapValue.fields ?? {};
    const ka = Object.keys(fa);
    return ka.length === Object.keys(fb).length && ka.every((k) => k in fb && valuesEqual(fa[k] as Value, fb[k] as Value));
  }
  return compareValues(a, b) === 0;
}

export function isNaNValue(v: Value): boolean {
  return 'doubleValue' in v && Number.isNaN(v.doubleValue);
}

export function isNumber(v: Value): boolean {
  return 'integerValue' in v || 'doubleValue' in v;
}

/** Splits a field path (`a.b`, `` `x.y`.z ``) into segments. */
export function parseFieldPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let i = 0;
  if (path === '') throw new FirestoreError(Code.INVALID_ARGUMENT, 'Empty field path');
  while (i < path.length) {
    const c = path[i] as string;
    if (quoted) {
      if (c === '\\' && i + 1 < path.length) {
        cur += path[i + 1];
        i += 2;
        continue;
      }
      if (c === '`') quoted = false;
      else cur += c;
    } else if (c === '`') {
      quoted = true;
    } else if (c === '.') {
      if (cur === '') throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid field path: ${path}`);
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
    i++;
  }
  if (quoted || cur === '') throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid field path: ${path}`);
  out.push(cur);
  return out;
}

/** The value at a parsed field path, or undefined. */
export function getField(fields: Fields, segments: readonly string[]): Value | undefined {
  let cur: Value | undefined = { mapValue: { fields } };
  for (const s of segments) {
    if (!cur || !('mapValue' in cur)) return undefined;
    cur = cur.mapValue.fields?.[s];
  }
  return cur;
}

/** Sets (or deletes, with undefined) the value at a path, creating intermediate maps. Mutates `fields`. */
export function setField(fields: Fields, segments: readonly string[], value: Value | undefined): void {
  let target = fields;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i] as string;
    const next = target[s];
    if (!next || !('mapValue' in next)) {
      if (value === undefined) return;
      target[s] = { mapValue: { fields: {} } };
    }
    const m = target[s] as { mapValue: { fields?: Fields } };
    m.mapValue.fields ??= {};
    target = m.mapValue.fields;
  }
  const last = segments[segments.length - 1] as string;
  if (value === undefined) Reflect.deleteProperty(target, last);
  else target[last] = value;
}

/** Deep copy of plain JSON-shaped data (values hold only JSON types, numbers including NaN/Infinity). */
export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Maximum nesting of maps and arrays Firestore accepts. */
export const MAX_DEPTH = 20;

/** Validates a value tree (known keys, depth, int64 range) and returns its Firestore storage size in bytes. */
export function valueSize(v: Value, depth = 0): number {
  if (depth > MAX_DEPTH) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Value nested too deeply (max 20 levels)');
  switch (kindOf(v)) {
    case 'null':
    case 'boolean':
      return 1;
    case 'integer': {
      const s = (v as { integerValue: unknown }).integerValue;
      if (typeof s !== 'string' && typeof s !== 'number') throw new FirestoreError(Code.INVALID_ARGUMENT, 'Invalid integer');
      if (!/^-?\d+$/.test(String(s))) throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid integer: ${String(s)}`);
      const n = BigInt(s);
      if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Integer out of int64 range');
      return 8;
    }
    case 'double':
      if (typeof (v as { doubleValue: unknown }).doubleValue !== 'number')
        throw new FirestoreError(Code.INVALID_ARGUMENT, 'Invalid double');
      return 8;
    case 'timestamp':
      parseTimestamp((v as { timestampValue: string }).timestampValue);
      return 8;
    case 'string': {
      const s = (v as { stringValue: unknown }).stringValue;
      if (typeof s !== 'string') throw new FirestoreError(Code.INVALID_ARGUMENT, 'Invalid string value');
      return Buffer.byteLength(s) + 1;
    }
    case 'bytes':
      return Buffer.from((v as { bytesValue: string }).bytesValue, 'base64').length + 1;
    case 'reference':
      return Buffer.byteLength((v as { referenceValue: string }).referenceValue) + 1;
    case 'geoPoint':
      return 16;
    case 'array': {
      const values = (v as { arrayValue: { values?: Value[] } }).arrayValue.values ?? [];
      if (!Array.isArray(values)) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Invalid array value');
      return values.reduce((n, x) => n + valueSize(x, depth + 1), 0);
    }
    case 'map':
      return fieldsSize((v as { mapValue: { fields?: Fields } }).mapValue.fields ?? {}, depth + 1);
  }
}

export function fieldsSize(fields: Fields, depth = 0): number {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw new FirestoreError(Code.INVALID_ARGUMENT, 'Invalid fields');
  let n = 0;
  for (const [k, v] of Object.entries(fields)) {
    if (k === '') throw new FirestoreError(Code.INVALID_ARGUMENT, 'Empty field name');
    n += Buffer.byteLength(k) + 1 + valueSize(v, depth);
  }
  return n;
}
