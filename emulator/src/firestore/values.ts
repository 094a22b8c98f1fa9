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

/**
 * An int64 wire integer as an exact JS number when it surely is one: up to 15 characters (sign included) is below
 * 10^15 < 2^53, so `Number` loses nothing and the comparison needs no BigInt. Undefined for longer ones.
 */
function smallInteger(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  return v.length <= 15 ? Number(v) : undefined;
}

/** Compares two numbers given as int64 strings or doubles, exactly (BigInt for large integers). */
function compareNumbers(a: Value, b: Value): number {
  if ('integerValue' in a && 'integerValue' in b) {
    // The common case, on every sort and range filter over integer fields: no BigInt for integers that fit a double.
    const x = smallInteger(a.integerValue);
    const y = smallInteger(b.integerValue);
    if (x !== undefined && y !== undefined) return cmp(x, y);
  }
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

const SLASH = 0x2f;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Resource names compare segment by segment (each segment as compareStrings, then fewer segments first). Computed in
 * one pass over the common prefix, without splitting: this runs for every comparison of a sort by `__name__`.
 */
export function compareReferences(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // The names agree up to i, so every segment before the one holding i is equal. Where a segment ends at i, it is a
  // prefix of the other's (or the name has fewer segments): it sorts first either way.
  const endA = i === a.length || a.charCodeAt(i) === SLASH;
  const endB = i === b.length || b.charCodeAt(i) === SLASH;
  if (endA && endB) return i === a.length ? -1 : 1;
  if (endA) return -1;
  if (endB) return 1;
  // Inside a segment, the first differing code point decides; a pair split by i is compared whole.
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1)) && (isLowSurrogate(ca) || isLowSurrogate(cb))) i--;
  const pa = a.codePointAt(i) ?? 0;
  const pb = b.codePointAt(i) ?? 0;
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/** Total order over Firestore values. */
export function compareValues(a: Value, b: Value): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  const ta = TYPE_ORDER[ka];
  const tb = TYPE_ORDER[kb];
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
  if (TYPE_ORDER[kindOf(a)] !== TYPE_ORDER[kindOf(b)]) return false;
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

/** Firestore's limit on one field name, in UTF-8 bytes. */
const MAX_FIELD_NAME_BYTES = 1500;
/** A UTF-16 code unit is at most 3 UTF-8 bytes: names no longer than this cannot exceed the limit. */
const SURELY_SHORT = MAX_FIELD_NAME_BYTES / 3;

/** Field names Firestore reserves (`__.*__`, at least four characters): forbidden in data and paths, `__name__` aside. */
function isReserved(name: string): boolean {
  return name.length >= 4 && name.startsWith('__') && name.endsWith('__');
}

/**
 * Refuses a field name Firestore would refuse: empty, longer than 1,500 bytes, or reserved (`__x__`, which also keeps
 * `__proto__` from ever becoming a key that assignment turns into a prototype).
 * @param name - one segment of a field path, or one key of a map value
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkFieldName(name: string): void {
  if (name === '') throw new FirestoreError(Code.INVALID_ARGUMENT, 'Empty field name');
  if (name.length > SURELY_SHORT && Buffer.byteLength(name) > MAX_FIELD_NAME_BYTES)
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Field name longer than ${MAX_FIELD_NAME_BYTES} bytes`);
  if (isReserved(name))
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Field name "${name.slice(0, 100)}" is reserved (names matching __.*__ are)`);
}

/**
 * Splits a field path (`a.b`, `` `x.y`.z ``) into segments. Every segment must be a valid field name; the one
 * reserved name allowed is `__name__` as the whole path (the document's name, in queries and read masks).
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function parseFieldPath(path: string): string[] {
  if (typeof path !== 'string') throw new FirestoreError(Code.INVALID_ARGUMENT, 'A field path must be a string');
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
      if (cur === '') throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid field path: ${path.slice(0, 200)}`);
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
    i++;
  }
  if (quoted || cur === '') throw new FirestoreError(Code.INVALID_ARGUMENT, `Invalid field path: ${path.slice(0, 200)}`);
  out.push(cur);
  if (out.length === 1 && out[0] === '__name__') return out;
  for (const seg of out) checkFieldName(seg);
  return out;
}

/**
 * A field path a write may name (update mask, transform): as parseFieldPath, and not `__name__` either, since a
 * document's name is not one of its fields.
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function parseWritableFieldPath(path: string): string[] {
  const segs = parseFieldPath(path);
  if (segs.length === 1 && segs[0] === '__name__')
    throw new FirestoreError(Code.INVALID_ARGUMENT, 'Field name "__name__" is reserved (names matching __.*__ are)');
  return segs;
}

/**
 * The value at a parsed field path, or undefined. Only own keys count: `constructor` or `toString` in a path must
 * find nothing in a map that lacks them, never Object.prototype's functions.
 */
export function getField(fields: Fields, segments: readonly string[]): Value | undefined {
  if (segments.length === 0) return { mapValue: { fields } };
  // No wrapper allocated per call: this runs for every order and filter field of every candidate document.
  let m: Fields | undefined = fields;
  let cur: Value | undefined;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as string;
    if (m === undefined || !Object.hasOwn(m, s)) return undefined;
    cur = m[s];
    m = cur !== undefined && 'mapValue' in cur ? cur.mapValue.fields : undefined;
  }
  return cur;
}

/** Sets (or deletes, with undefined) the value at a path, creating intermediate maps. Mutates `fields`. */
export function setField(fields: Fields, segments: readonly string[], value: Value | undefined): void {
  let target = fields;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i] as string;
    const next = Object.hasOwn(target, s) ? target[s] : undefined;
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

/** The wire key of each value type. */
const KIND_OF_KEY: Readonly<Record<string, ValueKind>> = {
  nullValue: 'null',
  booleanValue: 'boolean',
  integerValue: 'integer',
  doubleValue: 'double',
  timestampValue: 'timestamp',
  stringValue: 'string',
  bytesValue: 'bytes',
  referenceValue: 'reference',
  geoPointValue: 'geoPoint',
  arrayValue: 'array',
  mapValue: 'map',
};

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const REFERENCE = /^projects\/[^/]+\/databases\/[^/]+\/documents\/[^/]+\/[^/]+(?:\/[^/]+\/[^/]+)*$/;

function invalid(message: string): FirestoreError {
  return new FirestoreError(Code.INVALID_ARGUMENT, message);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The one type a wire value carries. Value is a proto oneof: a value with two type keys
 * (`{"stringValue":…,"mapValue":…}`) would be read as one type by the rules and as another elsewhere, so it is
 * refused, as is any key that is not a value type.
 */
function strictKind(v: unknown): { kind: ValueKind; payload: unknown } {
  if (!isPlainObject(v)) throw invalid('A value must be an object with one value type');
  // One pass over the keys, without allocating their list: this runs for every value of every write.
  let key: string | undefined;
  let count = 0;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    key = k;
    count++;
  }
  const kind = count === 1 && key !== undefined && Object.hasOwn(KIND_OF_KEY, key) ? KIND_OF_KEY[key] : undefined;
  if (kind === undefined || key === undefined)
    throw invalid(`A value must set exactly one value type, got ${count ? Object.keys(v).slice(0, 5).join(', ') : 'none'}`);
  return { kind, payload: v[key] };
}

/**
 * Validates a value tree wherever it enters the engine (writes, filters, cursors, transforms): one type per value,
 * the type's payload well-formed, depth ≤ 20, valid map keys; returns its Firestore storage size in bytes.
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function valueSize(v: Value, depth = 0): number {
  return sizeOf(v, depth);
}

function sizeOf(v: unknown, depth: number): number {
  if (depth > MAX_DEPTH) throw invalid('Value nested too deeply (max 20 levels)');
  const { kind, payload } = strictKind(v);
  switch (kind) {
    case 'null':
      if (payload !== null && payload !== 'NULL_VALUE' && payload !== 0) throw invalid('Invalid null value');
      return 1;
    case 'boolean':
      if (typeof payload !== 'boolean') throw invalid('Invalid boolean value');
      return 1;
    case 'integer': {
      const ok = typeof payload === 'number' ? Number.isSafeInteger(payload) : typeof payload === 'string' && /^-?\d{1,19}$/.test(payload);
      if (!ok || (typeof payload !== 'number' && typeof payload !== 'string')) throw invalid(`Invalid integer: ${String(payload).slice(0, 40)}`);
      const n = BigInt(payload);
      if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw invalid('Integer out of int64 range');
      return 8;
    }
    case 'double':
      if (typeof payload !== 'number') throw invalid('Invalid double');
      return 8;
    case 'timestamp':
      if (typeof payload !== 'string') throw invalid('Invalid timestamp');
      parseTimestamp(payload);
      return 8;
    case 'string':
      if (typeof payload !== 'string') throw invalid('Invalid string value');
      return Buffer.byteLength(payload) + 1;
    case 'bytes':
      if (typeof payload !== 'string' || !BASE64.test(payload)) throw invalid('Invalid bytes value (base64 expected)');
      return Buffer.from(payload, 'base64').length + 1;
    case 'reference':
      if (typeof payload !== 'string' || !REFERENCE.test(payload))
        throw invalid(`Invalid reference value: ${String(payload).slice(0, 200)} (a full document name expected)`);
      return Buffer.byteLength(payload) + 1;
    case 'geoPoint': {
      if (!isPlainObject(payload)) throw invalid('Invalid geo point');
      const { latitude = 0, longitude = 0, ...rest } = payload;
      if (Object.keys(rest).length || typeof latitude !== 'number' || typeof longitude !== 'number')
        throw invalid('A geo point holds latitude and longitude numbers only');
      if (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180)) throw invalid('Geo point out of range');
      return 16;
    }
    case 'array': {
      if (!isPlainObject(payload)) throw invalid('Invalid array value');
      const { values = [], ...rest } = payload;
      if (Object.keys(rest).length || !Array.isArray(values)) throw invalid('An array value holds `values` only');
      let n = 0;
      for (const x of values as readonly unknown[]) n += sizeOf(x, depth + 1);
      return n;
    }
    case 'map': {
      if (!isPlainObject(payload)) throw invalid('Invalid map value');
      const { fields = {}, ...rest } = payload;
      if (Object.keys(rest).length) throw invalid('A map value holds `fields` only');
      return fieldsSizeOf(fields, depth + 1);
    }
  }
}

/**
 * Validates a document's or map's fields (keys are field names, values as valueSize) and returns their size.
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function fieldsSize(fields: Fields, depth = 0): number {
  return fieldsSizeOf(fields, depth);
}

function fieldsSizeOf(fields: unknown, depth: number): number {
  if (!isPlainObject(fields)) throw invalid('Invalid fields');
  let n = 0;
  for (const [k, v] of Object.entries(fields)) {
    checkFieldName(k);
    n += Buffer.byteLength(k) + 1 + sizeOf(v, depth);
  }
  return n;
}

/**
 * Validates untrusted fields, as checkFields, and returns their storage size, in the same walk.
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkedFieldsSize(fields: unknown): number {
  return fieldsSizeOf(fields, 0);
}

/**
 * Whether two values are the same stored value: the same type and the same content, so that storing one in place of
 * the other changes nothing. Stricter than valuesEqual: 1 and 1.0, or 0 and -0, are equal but not the same; NaN is
 * the same as NaN. Formats that name one value (a timestamp's digits, base64's alphabets) do not count.
 */
export function sameValue(a: Value, b: Value): boolean {
  if ('nullValue' in a) return 'nullValue' in b;
  if ('booleanValue' in a) return 'booleanValue' in b && a.booleanValue === b.booleanValue;
  if ('integerValue' in a) return 'integerValue' in b && compareNumbers(a, b) === 0;
  if ('doubleValue' in a) return 'doubleValue' in b && Object.is(a.doubleValue, b.doubleValue);
  if ('timestampValue' in a) return 'timestampValue' in b && compareTimestamps(a.timestampValue, b.timestampValue) === 0;
  if ('stringValue' in a) return 'stringValue' in b && a.stringValue === b.stringValue;
  if ('bytesValue' in a) return 'bytesValue' in b && compareBytes(a.bytesValue, b.bytesValue) === 0;
  if ('referenceValue' in a) return 'referenceValue' in b && a.referenceValue === b.referenceValue;
  if ('geoPointValue' in a) {
    if (!('geoPointValue' in b)) return false;
    const pa = a.geoPointValue;
    const pb = b.geoPointValue;
    return Object.is(pa.latitude ?? 0, pb.latitude ?? 0) && Object.is(pa.longitude ?? 0, pb.longitude ?? 0);
  }
  if ('arrayValue' in a) {
    if (!('arrayValue' in b)) return false;
    const xs = a.arrayValue.values ?? [];
    const ys = b.arrayValue.values ?? [];
    return xs.length === ys.length && xs.every((x, i) => sameValue(x, ys[i] as Value));
  }
  // A stored value of no known type (an old snapshot's) is the same as nothing: a write replacing it is a change.
  if (!('mapValue' in a) || !('mapValue' in b)) return false;
  return sameFields(a.mapValue.fields ?? {}, b.mapValue.fields ?? {});
}

/** Whether two sets of fields hold the same keys with the same stored values (see sameValue). */
export function sameFields(a: Fields, b: Fields): boolean {
  let count = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) continue;
    count++;
    const x = a[k];
    const y = Object.hasOwn(b, k) ? b[k] : undefined;
    if (x === undefined || y === undefined || !sameValue(x, y)) return false;
  }
  for (const k in b) if (Object.hasOwn(b, k)) count--;
  return count === 0;
}

/**
 * Asserts that untrusted input is one valid Value (see valueSize).
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkValue(v: unknown, depth = 0): asserts v is Value {
  sizeOf(v, depth);
}

/**
 * Asserts that untrusted input is a valid fields map (see fieldsSize).
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkFields(fields: unknown): asserts fields is Fields {
  fieldsSizeOf(fields, 0);
}
