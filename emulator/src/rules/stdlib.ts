/**
 * The rules standard library: methods per value type and the global namespaces (math, hashing, latlng, timestamp,
 * duration) and conversion functions, as Firebase documents them for rules_version 2.
 */
import { createHash } from 'node:crypto';
import {
  compare,
  equals,
  int,
  RBytes,
  RDuration,
  RLatLng,
  RMap,
  RMapDiff,
  RPath,
  RSet,
  RTimestamp,
  RulesError,
  show,
  typeName,
  Unknown,
  type RValue,
} from './values';

const MAX_REGEX = 1000;
const regexCache = new Map<string, RegExp>();

/** RE2's whitespace class: ASCII only. JavaScript's `\s` also matches U+00A0, U+FEFF, U+2028 and other spaces. */
const RE2_SPACE = '\\t\\n\\f\\r ';

/**
 * The JavaScript `\p{…}` for an RE2 Unicode class name: a general category (`L`, `Cf`…), `Any`, or a script
 * (`Greek`, which JavaScript spells `Script=Greek`). RE2 knows no other names (no `Letter`, `Emoji` or
 * `Extended_Pictographic`), so neither does the engine: a rule using one would not deploy.
 */
function unicodeClass(name: string, negated: boolean, src: string): string {
  const p = negated ? '\\P' : '\\p';
  const candidates = /^[A-Z][a-z]?$/.test(name) ? [`gc=${name}`] : name === 'Any' ? ['Any'] : [`Script=${name}`];
  for (const c of candidates) {
    try {
      new RegExp(`\\p{${c}}`, 'u');
      return `${p}{${c}}`;
    } catch {
      // Not a name JavaScript knows in this form either: fall through to the error below.
    }
  }
  throw new RulesError(`Unknown Unicode class \\p{${name}} in '${src}'`);
}

/**
 * Rewrites an RE2 pattern (what Firebase compiles) as a JavaScript `u` pattern with the same meaning, for the
 * syntax the two spell differently: `\x{10FFFF}` code points, `\pL` one-letter and `\p{Greek}` script classes,
 * `\p{^X}` negations, RE2's ASCII `\s`/`\S`, and `\A`/`\z`. `\u` is refused, as RE2 refuses it (a rules string
 * may still hold the character itself: `'\u200D'` is the lexer's escape, not the pattern's). Inside a class, `\S`
 * keeps JavaScript's meaning (non-ASCII spaces differ); RE2's `(?i)` flags and `[[:alpha:]]` classes are not rewritten
 * and fail to compile here.
 */
function re2ToJs(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = src[i + 1] ?? '';
    i++;
    if (n === 'x' && src[i + 1] === '{') {
      const end = src.indexOf('}', i);
      const hex = end < 0 ? '' : src.slice(i + 2, end);
      if (!/^[0-9A-Fa-f]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff)
        throw new RulesError(`Bad \\x{…} escape in '${src}'`);
      out += `\\u{${hex}}`;
      i = end;
    } else if (n === 'p' || n === 'P') {
      let name = src[i + 1] ?? '';
      if (name === '{') {
        const end = src.indexOf('}', i);
        if (end < 0) throw new RulesError(`Unterminated \\${n}{ in '${src}'`);
        name = src.slice(i + 2, end);
        i = end;
      } else i++;
      const negated = name.startsWith('^');
      out += unicodeClass(negated ? name.slice(1) : name, (n === 'P') !== negated, src);
    } else if (n === 's') out += inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
    else if (n === 'S' && !inClass) out += `[^${RE2_SPACE}]`;
    else if (n === 'A' && !inClass) out += '^';
    else if (n === 'z' && !inClass) out += '$';
    else if (n === 'u' || n === 'U') throw new RulesError(`RE2 has no \\${n} escape ('${src}'); write \\x{…}`);
    else out += `\\${n}`;
  }
  return out;
}

/** RE2-style full-match regular expressions, compiled once. */
function regex(src: string, anchored: boolean): RegExp {
  const key = `${anchored ? 'a' : 'g'}:${src}`;
  let re = regexCache.get(key);
  if (!re) {
    if (src.length > MAX_REGEX) throw new RulesError('Regular expression too long');
    // RE2 has no backreferences or lookaround; refuse them so rules behave as on Firebase.
    if (/\\[1-9]|\(\?[=!<]/.test(src)) throw new RulesError(`Unsupported regular expression syntax in '${src}'`);
    const js = re2ToJs(src);
    try {
      re = anchored ? new RegExp(`^(?:${js})$`, 'u') : new RegExp(js, 'gu');
    } catch {
      throw new RulesError(`Invalid regular expression '${src}'`);
    }
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

function arity(name: string, args: RValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new RulesError(`${name}() takes ${min === max ? min : `${min}-${max}`} argument(s), got ${args.length}`);
}

function str(v: RValue, what: string): string {
  if (typeof v !== 'string') throw new RulesError(`${what} expects a string, got ${typeName(v)}`);
  return v;
}

function intArg(v: RValue, what: string): bigint {
  if (typeof v !== 'bigint') throw new RulesError(`${what} expects an int, got ${typeName(v)}`);
  return v;
}

function num(v: RValue, what: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  throw new RulesError(`${what} expects a number, got ${typeName(v)}`);
}

function listOrSet(v: RValue, what: string): readonly RValue[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.items;
  throw new RulesError(`${what} expects a list or set, got ${typeName(v)}`);
}

function includes(items: readonly RValue[], x: RValue): boolean {
  return items.some((y) => equals(x, y));
}

export function dedupe(items: readonly RValue[]): RValue[] {
  const out: RValue[] = [];
  for (const x of items) if (!includes(out, x)) out.push(x);
  return out;
}

function bytesOf(v: RValue, what: string): Buffer {
  if (v instanceof RBytes) return Buffer.from(v.bytes);
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw new RulesError(`${what} expects bytes or a string, got ${typeName(v)}`);
}

function crc32(buf: Buffer, poly: number): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function setOf(items: readonly RValue[]): RSet {
  return new RSet(dedupe(items));
}

const MICROS = { d: 86_400_000_000n, s: 1_000_000n } as const;
/** duration.value() units (rules.duration): w, d, h, m, s, ms, ns. */
const NANOS = { w: 604_800_000_000_000n, d: 86_400_000_000_000n, h: 3_600_000_000_000n, m: 60_000_000_000n, s: 1_000_000_000n, ms: 1_000_000n, us: 1000n, ns: 1n } as const;
const NANOS_PER_SECOND = 1_000_000_000n;

function utcParts(t: RTimestamp): Date {
  return new Date(Number(t.micros / 1000n - (t.micros % 1000n < 0n ? 1n : 0n)));
}

/**
 * Calls a method on a value (`receiver.name(args)`).
 * @throws RulesError when the method does not exist for the receiver's type or the arguments are wrong
 */
export function callMethod(receiver: RValue, name: string, args: RValue[]): RValue {
  if (receiver instanceof Unknown) return new Unknown({}, `${receiver.label}.${name}()`);
  if (typeof receiver === 'string') return stringMethod(receiver, name, args);
  if (Array.isArray(receiver)) return listMethod(receiver, name, args);
  if (receiver instanceof RMap) return mapMethod(receiver, name, args);
  if (receiver instanceof RSet) return setMethod(receiver, name, args);
  if (receiver instanceof RMapDiff) return diffMethod(receiver, name, args);
  if (receiver instanceof RTimestamp) return timestampMethod(receiver, name, args);
  if (receiver instanceof RDuration) return durationMethod(receiver, name, args);
  if (receiver instanceof RLatLng) return latlngMethod(receiver, name, args);
  if (receiver instanceof RBytes) return bytesMethod(receiver, name, args);
  if (receiver instanceof RPath) return pathMethod(receiver, name, args);
  throw new RulesError(`Function not found: ${typeName(receiver)}.${name}()`);
}

function stringMethod(s: string, name: string, args: RValue[]): RValue {
  switch (name) {
    case 'size':
      arity(name, args, 0);
      return BigInt([...s].length);
    case 'matches':
      arity(name, args, 1);
      return regex(str(args[0] ?? null, 'matches'), true).test(s);
    case 'lower':
      arity(name, args, 0);
      return s.toLowerCase();
    case 'upper':
      arity(name, args, 0);
      return s.toUpperCase();
    case 'trim':
      arity(name, args, 0);
      return s.trim();
    case 'replace':
      arity(name, args, 2);
      return s.replace(regex(str(args[0] ?? null, 'replace'), false), str(args[1] ?? null, 'replace').replace(/\$/g, '$$$$'));
    case 'split':
      arity(name, args, 1);
      return s.split(regex(str(args[0] ?? null, 'split'), false));
    case 'toUtf8':
      arity(name, args, 0);
      return new RBytes(Buffer.from(s, 'utf8'));
    default:
      throw new RulesError(`Function not found: string.${name}()`);
  }
}

function listMethod(l: RValue[], name: string, args: RValue[]): RValue {
  switch (name) {
    case 'size':
      arity(name, args, 0);
      return BigInt(l.length);
    case 'hasAll':
      arity(name, args, 1);
      return listOrSet(args[0] ?? null, 'hasAll').every((x) => includes(l, x));
    case 'hasAny':
      arity(name, args, 1);
      return listOrSet(args[0] ?? null, 'hasAny').some((x) => includes(l, x));
    case 'hasOnly': {
      arity(name, args, 1);
      const allowed = listOrSet(args[0] ?? null, 'hasOnly');
      return l.every((x) => includes(allowed, x));
    }
    case 'join':
      arity(name, args, 1);
      return l.map((x) => str(x, 'join')).join(str(args[0] ?? null, 'join'));
    case 'concat':
      arity(name, args, 1);
      return [...l, ...listOrSet(args[0] ?? null, 'concat')];
    case 'removeAll': {
      arity(name, args, 1);
      const drop = listOrSet(args[0] ?? null, 'removeAll');
      return l.filter((x) => !includes(drop, x));
    }
    case 'toSet':
      arity(name, args, 0);
      return setOf(l);
    default:
      throw new RulesError(`Function not found: list.${name}()`);
  }
}

/** `map.get(key, default)`: key may be a list of keys walking nested maps. */
function mapGet(m: RMap, key: RValue, fallback: RValue): RValue {
  const keys = Array.isArray(key) ? key : [key];
  let cur: RValue = m;
  for (const k of keys) {
    if (cur instanceof Unknown) return new Unknown({}, `${cur.label}.${String(k)}`);
    if (!(cur instanceof RMap)) return fallback;
    const ks = str(k, 'map.get');
    if (!cur.entries.has(ks)) return fallback;
    cur = cur.entries.get(ks) ?? null;
  }
  return cur;
}

function mapMethod(m: RMap, name: string, args: RValue[]): RValue {
  switch (name) {
    case 'keys':
      arity(name, args, 0);
      return [...m.entries.keys()];
    case 'values':
      arity(name, args, 0);
      return [...m.entries.values()];
    case 'size':
      arity(name, args, 0);
      return BigInt(m.entries.size);
    case 'get':
      arity(name, args, 2);
      return mapGet(m, args[0] ?? null, args[1] ?? null);
    case 'diff': {
      arity(name, args, 1);
      const other = args[0] ?? null;
      if (other instanceof Unknown) return other;
      if (!(other instanceof RMap)) throw new RulesError(`map.diff() expects a map, got ${typeName(other)}`);
      return new RMapDiff(m, other);
    }
    default:
      throw new RulesError(`Function not found: map.${name}()`);
  }
}

function setMethod(s: RSet, name: string, args: RValue[]): RValue {
  switch (name) {
    case 'size':
      arity(name, args, 0);
      return BigInt(s.items.length);
    case 'hasAll':
      arity(name, args, 1);
      return listOrSet(args[0] ?? null, 'hasAll').every((x) => includes(s.items, x));
    case 'hasAny':
      arity(name, args, 1);
      return listOrSet(args[0] ?? null, 'hasAny').some((x) => includes(s.items, x));
    case 'hasOnly': {
      arity(name, args, 1);
      const allowed = listOrSet(args[0] ?? null, 'hasOnly');
      return s.items.every((x) => includes(allowed, x));
    }
    case 'difference': {
      arity(name, args, 1);
      const other = listOrSet(args[0] ?? null, 'difference');
      return new RSet(s.items.filter((x) => !includes(other, x)));
    }
    case 'intersection': {
      arity(name, args, 1);
      const other = listOrSet(args[0] ?? null, 'intersection');
      return new RSet(s.items.filter((x) => includes(other, x)));
    }
    case 'union':
      arity(name, args, 1);
      return setOf([...s.items, ...listOrSet(args[0] ?? null, 'union')]);
    default:
      throw new RulesError(`Function not found: set.${name}()`);
  }
}

function diffMethod(d: RMapDiff, name: string, args: RValue[]): RValue {
  arity(name, args, 0);
  const { left, right } = d;
  // left.diff(right): "added" are keys in left only (right is usually the old document).
  const added = [...left.entries.keys()].filter((k) => !right.entries.has(k));
  const removed = [...right.entries.keys()].filter((k) => !left.entries.has(k));
  const common = [...left.entries.keys()].filter((k) => right.entries.has(k));
  const changed = common.filter((k) => !equals(left.entries.get(k) ?? null, right.entries.get(k) ?? null));
  const unchanged = common.filter((k) => equals(left.entries.get(k) ?? null, right.entries.get(k) ?? null));
  switch (name) {
    case 'addedKeys':
      return new RSet(added);
    case 'removedKeys':
      return new RSet(removed);
    case 'changedKeys':
      return new RSet(changed);
    case 'unchangedKeys':
      return new RSet(unchanged);
    case 'affectedKeys':
      return new RSet([...added, ...removed, ...changed]);
    default:
      throw new RulesError(`Function not found: map_diff.${name}()`);
  }
}

function timestampMethod(t: RTimestamp, name: string, args: RValue[]): RValue {
  arity(name, args, 0);
  const d = utcParts(t);
  const dayMicros = ((t.micros % MICROS.d) + MICROS.d) % MICROS.d;
  switch (name) {
    case 'date':
      return new RTimestamp(t.micros - dayMicros);
    case 'year':
      return BigInt(d.getUTCFullYear());
    case 'month':
      return BigInt(d.getUTCMonth() + 1);
    case 'day':
      return BigInt(d.getUTCDate());
    case 'dayOfWeek':
      // 1 = Monday … 7 = Sunday.
      return BigInt(((d.getUTCDay() + 6) % 7) + 1);
    case 'dayOfYear':
      return BigInt(Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1);
    case 'hours':
      return BigInt(d.getUTCHours());
    case 'minutes':
      return BigInt(d.getUTCMinutes());
    case 'seconds':
      return BigInt(d.getUTCSeconds());
    case 'nanos':
      return (((t.micros % MICROS.s) + MICROS.s) % MICROS.s) * 1000n;
    case 'time':
      return new RDuration(dayMicros * 1000n);
    case 'toMillis':
      return t.micros / 1000n;
    default:
      throw new RulesError(`Function not found: timestamp.${name}()`);
  }
}

function durationMethod(d: RDuration, name: string, args: RValue[]): RValue {
  arity(name, args, 0);
  switch (name) {
    case 'abs':
      return new RDuration(d.nanos < 0n ? -d.nanos : d.nanos);
    case 'seconds':
      return d.nanos / NANOS_PER_SECOND;
    case 'nanos':
      return d.nanos % NANOS_PER_SECOND;
    case 'toMillis':
      return d.nanos / 1_000_000n;
    default:
      throw new RulesError(`Function not found: duration.${name}()`);
  }
}

function latlngMethod(p: RLatLng, name: string, args: RValue[]): RValue {
  switch (name) {
    case 'latitude':
      arity(name, args, 0);
      return p.lat;
    case 'longitude':
      arity(name, args, 0);
      return p.lng;
    case 'distance': {
      arity(name, args, 1);
      const o = args[0] ?? null;
      if (!(o instanceof RLatLng)) throw new RulesError(`latlng.distance() expects a latlng, got ${typeName(o)}`);
      return haversineMeters(p, o);
    }
    default:
      throw new RulesError(`Function not found: latlng.${name}()`);
  }
}

/** Great-circle distance in meters on a sphere of the Earth's mean radius. */
export function haversineMeters(a: RLatLng, b: RLatLng): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

function bytesMethod(b: RBytes, name: string, args: RValue[]): RValue {
  arity(name, args, 0);
  switch (name) {
    case 'size':
      return BigInt(b.bytes.length);
    case 'toBase64':
      // rules.Bytes: "performed per the base64url specification" (b'\xFB\xEF\xBE'.toBase64() == '----'); RFC 4648
      // base64url keeps its '=' padding unless told otherwise.
      return Buffer.from(b.bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'toHexString':
      return Buffer.from(b.bytes).toString('hex').toUpperCase();
    default:
      throw new RulesError(`Function not found: bytes.${name}()`);
  }
}

function pathMethod(p: RPath, name: string, args: RValue[]): RValue {
  switch (name) {
    case 'bind': {
      arity(name, args, 1);
      const m = args[0] ?? null;
      if (!(m instanceof RMap)) throw new RulesError('path.bind() expects a map');
      // Replace $(name) placeholders left unbound in a path built from a string.
      return new RPath(p.segments.map((s) => {
        const k = /^\$\((\w+)\)$/.exec(s)?.[1];
        if (!k) return s;
        const v = m.entries.get(k);
        if (v === undefined) throw new RulesError(`path.bind(): no value for ${k}`);
        return str(v, 'path.bind');
      }));
    }
    case 'size':
      arity(name, args, 0);
      return BigInt(p.segments.length);
    default:
      throw new RulesError(`Function not found: path.${name}()`);
  }
}

/** The members of the global namespaces: `math.abs(x)`, `timestamp.date(y, m, d)`, … */
export function callNamespace(ns: string, name: string, args: RValue[]): RValue {
  const key = `${ns}.${name}`;
  switch (key) {
    case 'math.abs': {
      arity(key, args, 1);
      const v = args[0] ?? null;
      if (typeof v === 'bigint') return int(v < 0n ? -v : v);
      return Math.abs(num(v, key));
    }
    // rules.math: ceil, floor and round return rules.Integer (math.ceil(2.1) is int).
    case 'math.ceil':
      arity(key, args, 1);
      return toInt(Math.ceil(num(args[0] ?? null, key)), key);
    case 'math.floor':
      arity(key, args, 1);
      return toInt(Math.floor(num(args[0] ?? null, key)), key);
    case 'math.round': {
      arity(key, args, 1);
      // Halves round away from zero: math.round(2.5) == 3.
      const x = num(args[0] ?? null, key);
      return toInt(Math.sign(x) * Math.round(Math.abs(x)), key);
    }
    case 'math.sqrt':
      arity(key, args, 1);
      return Math.sqrt(num(args[0] ?? null, key));
    case 'math.pow':
      arity(key, args, 2);
      return Math.pow(num(args[0] ?? null, key), num(args[1] ?? null, key));
    case 'math.isInfinite':
      arity(key, args, 1);
      return !Number.isFinite(num(args[0] ?? null, key)) && !Number.isNaN(num(args[0] ?? null, key));
    case 'math.isNaN':
      arity(key, args, 1);
      return Number.isNaN(num(args[0] ?? null, key));
    case 'hashing.crc32':
      arity(key, args, 1);
      return new RBytes(uint32(crc32(bytesOf(args[0] ?? null, key), 0xedb88320)));
    case 'hashing.crc32c':
      arity(key, args, 1);
      return new RBytes(uint32(crc32(bytesOf(args[0] ?? null, key), 0x82f63b78)));
    case 'hashing.md5':
      arity(key, args, 1);
      return new RBytes(createHash('md5').update(bytesOf(args[0] ?? null, key)).digest());
    case 'hashing.sha256':
      arity(key, args, 1);
      return new RBytes(createHash('sha256').update(bytesOf(args[0] ?? null, key)).digest());
    case 'latlng.value': {
      arity(key, args, 2);
      const lat = num(args[0] ?? null, key);
      const lng = num(args[1] ?? null, key);
      if (lat < -90 || lat > 90 || lng < -180 || lng > 180) throw new RulesError('latlng.value(): latitude or longitude out of range');
      return new RLatLng(lat, lng);
    }
    case 'timestamp.date': {
      arity(key, args, 3);
      const [y, m, d] = args.map((a) => Number(intArg(a, key)));
      const ms = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
      return new RTimestamp(BigInt(ms) * 1000n);
    }
    case 'timestamp.value':
      arity(key, args, 1);
      return new RTimestamp(intArg(args[0] ?? null, key) * 1000n);
    case 'duration.value': {
      arity(key, args, 2);
      const amount = intArg(args[0] ?? null, key);
      const unit = str(args[1] ?? null, key);
      const factor = Object.hasOwn(NANOS, unit) ? NANOS[unit as keyof typeof NANOS] : undefined;
      if (factor === undefined) throw new RulesError(`duration.value(): unknown unit '${unit}' (w, d, h, m, s, ms, ns)`);
      return new RDuration(int(amount * factor));
    }
    case 'duration.time': {
      arity(key, args, 4);
      const [h, m, s, ns] = args.map((a) => intArg(a, key));
      return new RDuration(int((h ?? 0n) * NANOS.h + (m ?? 0n) * NANOS.m + (s ?? 0n) * NANOS_PER_SECOND + (ns ?? 0n)));
    }
    case 'duration.abs': {
      arity(key, args, 1);
      const d = args[0] ?? null;
      if (!(d instanceof RDuration)) throw new RulesError(`duration.abs() expects a duration, got ${typeName(d)}`);
      return new RDuration(d.nanos < 0n ? -d.nanos : d.nanos);
    }
    default:
      throw new RulesError(`Function not found: ${key}()`);
  }
}

function toInt(x: number, what: string): bigint {
  if (!Number.isFinite(x)) throw new RulesError(`${what}(): ${x} has no integer value`);
  return int(BigInt(x));
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Global conversion functions: int(), float(), string(), bool(), path(), debug(), and the bytes literal helper. */
export function callGlobal(name: string, args: RValue[]): RValue {
  switch (name) {
    case 'int': {
      arity(name, args, 1);
      const v = args[0] ?? null;
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new RulesError('int(): not a finite number');
        return int(BigInt(Math.trunc(v)));
      }
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return int(BigInt(v.trim()));
      throw new RulesError(`int(): cannot convert ${show(v)}`);
    }
    case 'float': {
      arity(name, args, 1);
      const v = args[0] ?? null;
      if (typeof v === 'bigint' || typeof v === 'number') return Number(v);
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      throw new RulesError(`float(): cannot convert ${show(v)}`);
    }
    case 'string': {
      arity(name, args, 1);
      const v = args[0] ?? null;
      if (v === null) return 'null';
      if (typeof v === 'string') return v;
      if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
      if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(1) : String(v);
      if (v instanceof RPath) return v.toString();
      throw new RulesError(`string(): cannot convert ${typeName(v)}`);
    }
    case 'bool': {
      arity(name, args, 1);
      const v = args[0] ?? null;
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw new RulesError(`bool(): cannot convert ${show(v)}`);
    }
    case 'path': {
      arity(name, args, 1);
      const s = str(args[0] ?? null, 'path');
      return new RPath(s.split('/').filter((x) => x !== ''));
    }
    case 'debug':
      arity(name, args, 1);
      return args[0] ?? null;
    case '__bytes':
      return new RBytes(Buffer.from(str(args[0] ?? null, 'bytes'), 'latin1'));
    default:
      throw new RulesError(`Function not found: ${name}()`);
  }
}

export function listOrSetItems(v: RValue, what: string): readonly RValue[] {
  return listOrSet(v, what);
}

export { compare, includes };
