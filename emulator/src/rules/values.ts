/**
 * The values of the rules language and their conversions from Firestore values.
 * int is a bigint (64-bit, overflow is an error), float a JS number; maps, lists and sets are immutable wrappers.
 * `Unknown` stands for a value a list query does not pin down (see list-judge.ts): any operation on it is unknown,
 * and an unknown verdict denies.
 */
import type { Value } from '../firestore/types';

export class RulesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RulesError';
  }
}

export class RTimestamp {
  constructor(
    /** Microseconds since the epoch: Firestore's precision. */
    readonly micros: bigint,
  ) {}
  static fromString(s: string): RTimestamp {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
    if (!m?.[1]) throw new RulesError(`Invalid timestamp '${s}'`);
    const ms = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
    if (Number.isNaN(ms)) throw new RulesError(`Invalid timestamp '${s}'`);
    const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 6);
    return new RTimestamp(BigInt(ms) * 1000n + BigInt(frac || '0'));
  }
  toDate(): Date {
    return new Date(Number(this.micros / 1000n));
  }
  toString(): string {
    const ms = this.micros / 1000n;
    const micros = this.micros % 1000n;
    const d = new Date(Number(ms)).toISOString();
    return micros ? d.replace('Z', `${String(micros).padStart(3, '0')}Z`) : d;
  }
}

export class RDuration {
  constructor(
    /** Nanoseconds: rules.Duration has nanosecond accuracy (duration.value(1500, 'ns').nanos() == 1500). */
    readonly nanos: bigint,
  ) {}
}

export class RLatLng {
  constructor(
    readonly lat: number,
    readonly lng: number,
  ) {}
}

export class RPath {
  constructor(readonly segments: readonly string[]) {}
  toString(): string {
    return `/${this.segments.join('/')}`;
  }
}

export class RBytes {
  constructor(readonly bytes: Uint8Array) {}
}

export class RMap {
  constructor(readonly entries: ReadonlyMap<string, RValue>) {}
  static of(obj: Record<string, RValue>): RMap {
    return new RMap(new Map(Object.entries(obj)));
  }
}

export class RSet {
  constructor(readonly items: readonly RValue[]) {}
}

export class RMapDiff {
  constructor(
    readonly left: RMap,
    readonly right: RMap,
  ) {}
}

/** A value the evaluator cannot know (a field of a document a list query could return). */
export class Unknown {
  constructor(
    /** What is known about it: equality / membership / range constraints from the query. */
    readonly constraint: Constraint = {},
    readonly label = 'unknown',
  ) {}
}

export interface Constraint {
  /** The value must be one of these (== gives one, `in` several). */
  oneOf?: RValue[];
  /** The value must not be any of these (!=, not-in). */
  noneOf?: RValue[];
  /** The value (a list) contains this element (array-contains). */
  contains?: RValue;
  /** The value (a list) contains at least one of these (array-contains-any). */
  containsAny?: RValue[];
  lower?: { value: RValue; inclusive: boolean };
  upper?: { value: RValue; inclusive: boolean };
  /** Children known by path (a map whose fields are constrained). */
  fields?: Map<string, Unknown>;
}

export type RValue = null | boolean | bigint | number | string | RBytes | RTimestamp | RDuration | RLatLng | RPath | RValue[] | RMap | RSet | RMapDiff | Unknown;

export const INT_MIN = -(2n ** 63n);
export const INT_MAX = 2n ** 63n - 1n;

/** Checks 64-bit range after integer arithmetic. */
export function int(v: bigint): bigint {
  if (v < INT_MIN || v > INT_MAX) throw new RulesError('Integer overflow');
  return v;
}

/** The rules type name of a value (as `is` tests it). */
export function typeName(v: RValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  if (v instanceof RMap) return 'map';
  if (v instanceof RBytes) return 'bytes';
  if (v instanceof RTimestamp) return 'timestamp';
  if (v instanceof RDuration) return 'duration';
  if (v instanceof RLatLng) return 'latlng';
  if (v instanceof RPath) return 'path';
  if (v instanceof RSet) return 'set';
  if (v instanceof RMapDiff) return 'map_diff';
  return 'unknown';
}

/** Rules equality: int and float compare by value; lists, maps and sets deeply; null equals only null. */
export function equals(a: RValue, b: RValue): boolean {
  if (a === null || b === null) return a === b;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return numCompare(a, b) === 0;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equals(x, b[i] ?? null));
  if (a instanceof RMap) {
    if (!(b instanceof RMap) || a.entries.size !== b.entries.size) return false;
    for (const [k, v] of a.entries) {
      if (!b.entries.has(k) || !equals(v, b.entries.get(k) ?? null)) return false;
    }
    return true;
  }
  if (a instanceof RSet) return b instanceof RSet && a.items.length === b.items.length && a.items.every((x) => b.items.some((y) => equals(x, y)));
  if (a instanceof RTimestamp) return b instanceof RTimestamp && a.micros === b.micros;
  if (a instanceof RDuration) return b instanceof RDuration && a.nanos === b.nanos;
  if (a instanceof RLatLng) return b instanceof RLatLng && a.lat === b.lat && a.lng === b.lng;
  if (a instanceof RPath) return b instanceof RPath && a.segments.length === b.segments.length && a.segments.every((s, i) => s === b.segments[i]);
  if (a instanceof RBytes) return b instanceof RBytes && Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
  return false;
}

/** Numeric comparison across int and float without losing 64-bit precision; NaN compares as unordered (NaN). */
export function numCompare(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x !== y) return x < y ? -1 : 1;
  // Equal as doubles: decide exactly when one side is a big int.
  if (typeof a === 'bigint' && Number.isInteger(y)) return a < BigInt(y) ? -1 : a > BigInt(y) ? 1 : 0;
  if (typeof b === 'bigint' && Number.isInteger(x)) return BigInt(x) < b ? -1 : BigInt(x) > b ? 1 : 0;
  return 0;
}

/** Ordering for <, <=, >, >=: numbers, strings, timestamps, durations, bytes, lists; other types are an error. */
export function compare(a: RValue, b: RValue): number {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return numCompare(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof RTimestamp && b instanceof RTimestamp) return a.micros < b.micros ? -1 : a.micros > b.micros ? 1 : 0;
  if (a instanceof RDuration && b instanceof RDuration) return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
  if (a instanceof RBytes && b instanceof RBytes) return Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes));
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new RulesError(`Cannot compare ${typeName(a)} with ${typeName(b)}`);
}

/**
 * Converts a stored Firestore value to a rules value.
 * @param v - proto3-JSON value (integers as decimal strings)
 * @param database - the database path, for references (`projects/p/databases/(default)`)
 */
export function fromFirestore(v: Value): RValue {
  if ('nullValue' in v) return null;
  if ('booleanValue' in v) return v.booleanValue;
  if ('integerValue' in v) return BigInt(v.integerValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('stringValue' in v) return v.stringValue;
  if ('timestampValue' in v) return RTimestamp.fromString(v.timestampValue);
  if ('bytesValue' in v) return new RBytes(Buffer.from(v.bytesValue, 'base64'));
  if ('referenceValue' in v) return referenceToPath(v.referenceValue);
  if ('geoPointValue' in v) return new RLatLng(v.geoPointValue.latitude ?? 0, v.geoPointValue.longitude ?? 0);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(fromFirestore);
  if ('mapValue' in v) return fieldsToMap(v.mapValue.fields ?? {});
  throw new RulesError('Unsupported stored value');
}

export function fieldsToMap(fields: Record<string, Value>): RMap {
  const m = new Map<string, RValue>();
  for (const [k, fv] of Object.entries(fields)) m.set(k, fromFirestore(fv));
  return new RMap(m);
}

/** `projects/p/databases/(default)/documents/a/b` → path `/databases/(default)/documents/a/b`, as rules see names. */
export function referenceToPath(name: string): RPath {
  const parts = name.split('/');
  const at = parts.indexOf('databases');
  return new RPath(at >= 0 ? parts.slice(at) : parts);
}

/** Plain JS value → rules value (for tests, token claims and storage metadata). */
export function fromJs(v: unknown): RValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(fromJs);
  if (v instanceof Date) return new RTimestamp(BigInt(v.getTime()) * 1000n);
  if (v instanceof RTimestamp || v instanceof RDuration || v instanceof RLatLng || v instanceof RPath || v instanceof RMap || v instanceof RBytes) return v;
  if (v instanceof Uint8Array) return new RBytes(v);
  if (typeof v === 'object') {
    const m = new Map<string, RValue>();
    for (const [k, x] of Object.entries(v)) m.set(k, fromJs(x));
    return new RMap(m);
  }
  throw new RulesError(`Unsupported value ${String(v)}`);
}

/** Short text form for error messages and debug(). */
export function show(v: RValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v instanceof RMap) return `{${[...v.entries].map(([k, x]) => `${JSON.stringify(k)}: ${show(x)}`).join(', ')}}`;
  if (v instanceof RSet) return `set(${v.items.map(show).join(', ')})`;
  if (v instanceof RPath) return `path(${v.toString()})`;
  if (v instanceof RTimestamp) return `timestamp(${v.toString()})`;
  if (v instanceof RDuration) return `duration(${String(v.nanos)}ns)`;
  if (v instanceof RLatLng) return `latlng(${v.lat}, ${v.lng})`;
  if (v instanceof Unknown) return v.label;
  return typeName(v);
}
