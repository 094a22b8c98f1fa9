/**
 * Evaluates compiled rules: finds the match blocks a request path falls into, evaluates their `allow` conditions,
 * and grants when any condition is true. Errors make a condition false, except where `||`/`&&` decide without the
 * failing side (Firebase's documented error semantics).
 */
import type { Allow, BinaryOp, Expr, FunctionDecl, MatchBlock, Method, PatternSegment, RulesFile, ServiceBlock } from './ast';
import { callGlobal, callMethod, callNamespace, dedupe, includes, listOrSetItems } from './stdlib';
import {
  compare,
  equals,
  int,
  RDuration,
  RMap,
  RPath,
  RSet,
  RTimestamp,
  RulesError,
  show,
  typeName,
  Unknown,
  type Constraint,
  type RValue,
} from './values';

/** Stands for "any number of unknown segments": the prefix of a collection-group query. */
export const ANY_PREFIX = Symbol('any-prefix');
export type RequestSegment = string | Unknown | typeof ANY_PREFIX;

/** Reads documents for get()/exists()/getAfter()/existsAfter() (Firestore) and firestore.get()/exists() (Storage). */
export interface DocumentAccess {
  /** The document at `/databases/{db}/documents/...` as a rules resource map, or null if missing. */
  read(path: RPath, after: boolean): RMap | null;
}

/**
 * Counts document lookups, as Firebase limits them; the same document read twice counts once. A batch or
 * transaction gives each of its writes a budget of its own whose parent is the budget of the whole request
 * (10 per operation, 20 per request).
 */
export class LookupBudget {
  private readonly seen = new Set<string>();
  constructor(
    readonly limit: number,
    private readonly parent?: LookupBudget,
  ) {}
  charge(key: string): void {
    if (this.seen.has(key)) return;
    if (this.seen.size >= this.limit) throw new RulesError(`Exceeded the limit of ${this.limit} document access calls (get/exists) for ${this.parent ? 'one operation' : 'this request'}`);
    this.parent?.charge(key);
    this.seen.add(key);
  }
  get used(): number {
    return this.seen.size;
  }
}

export interface EvalRequest {
  /** Segments below the service root: ['databases', '(default)', 'documents', 'users', 'u1'] or ['b', bucket, 'o', ...]. */
  path: RequestSegment[];
  method: Method;
  /** The `request` variable. */
  request: RValue;
  /** The `resource` variable. */
  resource: RValue;
  access?: DocumentAccess;
  budget: LookupBudget;
}

export interface Decision {
  allowed: boolean;
  /** Why: the granting rule's line, or the failing conditions with their errors. */
  reason: string;
}

const MAX_CALL_DEPTH = 20;
const MAX_STEPS = 100_000;
const NAMESPACES = new Set(['math', 'hashing', 'latlng', 'timestamp', 'duration']);
const GLOBAL_FUNCTIONS = new Set(['int', 'float', 'string', 'bool', 'path', 'debug', '__bytes']);
const FIRESTORE_LOOKUPS = new Set(['get', 'exists', 'getAfter', 'existsAfter']);

interface Scope {
  vars: Map<string, RValue>;
  fns: Map<string, { decl: FunctionDecl; scope: Scope }>;
  parent: Scope | null;
}

function lookupVar(scope: Scope | null, name: string): RValue | undefined {
  for (let s = scope; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name) ?? null;
  return undefined;
}

function lookupFn(scope: Scope | null, name: string): { decl: FunctionDecl; scope: Scope } | undefined {
  for (let s = scope; s; s = s.parent) {
    const f = s.fns.get(name);
    if (f) return f;
  }
  return undefined;
}

function child(parent: Scope, vars: Map<string, RValue> = new Map(), fns: FunctionDecl[] = []): Scope {
  const s: Scope = { vars, fns: new Map(), parent };
  for (const f of fns) s.fns.set(f.name, { decl: f, scope: s });
  return s;
}

/** Matches a pattern against the request segments from `from`; yields each (bindings, next index) it can. */
function* matchPattern(pattern: PatternSegment[], segs: RequestSegment[], from: number, version: '1' | '2'): Generator<{ bind: Map<string, RValue>; next: number }> {
  function* go(pi: number, si: number, bind: Map<string, RValue>): Generator<{ bind: Map<string, RValue>; next: number }> {
    if (pi === pattern.length) {
      yield { bind, next: si };
      return;
    }
    const p = pattern[pi];
    if (!p) return;
    if (p.kind === 'rest') {
      const min = version === '2' ? 0 : 1;
      // A recursive wildcard at the end takes everything left; in the middle, try every split.
      const last = pi === pattern.length - 1;
      for (let n = last ? segs.length - si : min; n <= segs.length - si; n++) {
        if (n < min) continue;
        const taken = segs.slice(si, si + n);
        const known = taken.every((t): t is string => typeof t === 'string');
        const b = new Map(bind);
        b.set(p.name, known ? new RPath(taken) : new Unknown({}, p.name));
        yield* go(pi + 1, si + n, b);
      }
      return;
    }
    const s = segs[si];
    if (s === undefined || s === ANY_PREFIX) return;
    if (p.kind === 'literal') {
      if (typeof s === 'string' && s === p.text) yield* go(pi + 1, si + 1, bind);
      return;
    }
    const b = new Map(bind);
    b.set(p.name, s);
    yield* go(pi + 1, si + 1, b);
  }
  yield* go(0, from, new Map());
}

class Evaluation {
  steps = 0;
  depth = 0;
  /** Functions on the call stack: rules functions "may call other functions but may not recurse". */
  private readonly active = new Set<FunctionDecl>();
  constructor(
    readonly service: string,
    readonly req: EvalRequest,
  ) {}

  eval(e: Expr, scope: Scope): RValue {
    if (++this.steps > MAX_STEPS) throw new RulesError('Rule evaluation exceeded its step limit');
    switch (e.k) {
      case 'lit':
        return e.value;
      case 'id': {
        const v = lookupVar(scope, e.name);
        if (v !== undefined) return v;
        if (e.name === 'request') return this.req.request;
        if (e.name === 'resource') return this.req.resource;
        throw new RulesError(`Variable '${e.name}' is not defined`);
      }
      case 'member':
        return member(this.eval(e.obj, scope), e.name);
      case 'index':
        return index(this.eval(e.obj, scope), this.eval(e.index, scope));
      case 'slice':
        return slice(this.eval(e.obj, scope), e.start ? this.eval(e.start, scope) : null, e.end ? this.eval(e.end, scope) : null);
      case 'call':
        return this.call(e, scope);
      case 'unary': {
        const v = this.eval(e.e, scope);
        if (v instanceof Unknown) return new Unknown({}, `${e.op}${v.label}`);
        if (e.op === '!') {
          if (typeof v !== 'boolean') throw new RulesError(`'!' expects a bool, got ${typeName(v)}`);
          return !v;
        }
        if (typeof v === 'bigint') return int(-v);
        if (typeof v === 'number') return -v;
        if (v instanceof RDuration) return new RDuration(-v.nanos);
        throw new RulesError(`'-' expects a number, got ${typeName(v)}`);
      }
      case 'binary':
        if (e.op === '&&' || e.op === '||') return this.logical(e.op, e.l, e.r, scope);
        return binary(e.op, this.eval(e.l, scope), this.eval(e.r, scope));
      case 'is':
        return isType(this.eval(e.e, scope), e.type);
      case 'ternary': {
        const c = this.eval(e.c, scope);
        if (c instanceof Unknown) {
          const t = this.eval(e.t, scope);
          const f = this.eval(e.f, scope);
          return !(t instanceof Unknown) && !(f instanceof Unknown) && equals(t, f) ? t : new Unknown({}, 'ternary');
        }
        if (typeof c !== 'boolean') throw new RulesError(`Condition of ?: must be a bool, got ${typeName(c)}`);
        return this.eval(c ? e.t : e.f, scope);
      }
      case 'list':
        return e.items.map((x) => this.eval(x, scope));
      case 'map': {
        const m = new Map<string, RValue>();
        for (const { key, value } of e.entries) {
          const k = this.eval(key, scope);
          if (typeof k !== 'string') throw new RulesError(`Map keys must be strings, got ${typeName(k)}`);
          m.set(k, this.eval(value, scope));
        }
        return new RMap(m);
      }
      case 'path': {
        const out: string[] = [];
        for (const s of e.segments) {
          if (typeof s === 'string') {
            out.push(s);
            continue;
          }
          // A bare name that is not a variable is a placeholder for path.bind() (the compiler allows it only there).
          const placeholder = s.k === 'id' && s.name !== 'request' && s.name !== 'resource' && lookupVar(scope, s.name) === undefined;
          const v = placeholder ? `$(${s.name})` : pinnedString(this.eval(s, scope));
          if (v instanceof Unknown) return new Unknown({}, 'path');
          if (typeof v === 'string') out.push(v);
          else if (typeof v === 'bigint') out.push(String(v));
          else if (v instanceof RPath) out.push(...v.segments);
          else throw new RulesError(`Cannot use a ${typeName(v)} in a path`);
        }
        return new RPath(out);
      }
    }
  }

  /** `&&` / `||` with Firebase's error handling: an error on one side is forgiven when the other side decides. */
  private logical(op: '&&' | '||', l: Expr, r: Expr, scope: Scope): RValue {
    const decisive = op === '||';
    const side = (x: Expr): { v?: RValue; err?: RulesError } => {
      try {
        const v = this.eval(x, scope);
        if (typeof v !== 'boolean' && !(v instanceof Unknown)) return { err: new RulesError(`'${op}' expects bools, got ${typeName(v)}`) };
        return { v };
      } catch (e) {
        if (e instanceof RulesError) return { err: e };
        throw e;
      }
    };
    const a = side(l);
    if (a.v === decisive) return decisive;
    const b = side(r);
    if (b.v === decisive) return decisive;
    if (a.err) throw a.err;
    if (b.err) throw b.err;
    if (a.v instanceof Unknown || b.v instanceof Unknown) return new Unknown({}, op);
    return !decisive;
  }

  private call(e: Extract<Expr, { k: 'call' }>, scope: Scope): RValue {
    const callee = e.callee;
    if (callee.k === 'id') {
      const fn = lookupFn(scope, callee.name);
      const args = e.args.map((a) => this.eval(a, scope));
      if (fn) return this.invoke(fn.decl, fn.scope, args);
      if (FIRESTORE_LOOKUPS.has(callee.name) && this.service === 'cloud.firestore') return this.lookup(callee.name, args);
      if (GLOBAL_FUNCTIONS.has(callee.name)) {
        if (args.some((a) => a instanceof Unknown)) return new Unknown({}, `${callee.name}()`);
        return callGlobal(callee.name, args);
      }
      throw new RulesError(`Function not found: ${callee.name}()`);
    }
    if (callee.k === 'member' && callee.obj.k === 'id' && lookupVar(scope, callee.obj.name) === undefined) {
      const ns = callee.obj.name;
      if (NAMESPACES.has(ns)) {
        const args = e.args.map((a) => this.eval(a, scope));
        if (args.some((a) => a instanceof Unknown)) return new Unknown({}, `${ns}.${callee.name}()`);
        return callNamespace(ns, callee.name, args);
      }
      if (ns === 'firestore' && this.service === 'firebase.storage' && (callee.name === 'get' || callee.name === 'exists')) {
        return this.lookup(callee.name, e.args.map((a) => this.eval(a, scope)));
      }
    }
    if (callee.k === 'member') {
      const receiver = this.eval(callee.obj, scope);
      const args = e.args.map((a) => this.eval(a, scope));
      return symbolicMethod(receiver, callee.name, args) ?? callMethod(receiver, callee.name, args);
    }
    throw new RulesError('Only functions and methods can be called');
  }

  private invoke(decl: FunctionDecl, closure: Scope, args: RValue[]): RValue {
    if (args.length !== decl.params.length) throw new RulesError(`${decl.name}() takes ${decl.params.length} argument(s), got ${args.length}`);
    if (this.depth >= MAX_CALL_DEPTH) throw new RulesError(`Maximum function call depth (${MAX_CALL_DEPTH}) exceeded in ${decl.name}()`);
    if (this.active.has(decl)) throw new RulesError(`${decl.name}() is called recursively; rules functions may not recurse`);
    const vars = new Map<string, RValue>();
    decl.params.forEach((p, i) => vars.set(p, args[i] ?? null));
    const s = child(closure, vars);
    this.depth++;
    this.active.add(decl);
    try {
      for (const l of decl.lets) vars.set(l.name, this.eval(l.value, s));
      return this.eval(decl.body, s);
    } finally {
      this.depth--;
      this.active.delete(decl);
    }
  }

  private lookup(name: string, args: RValue[]): RValue {
    if (args.length !== 1) throw new RulesError(`${name}() takes 1 argument`);
    const p = args[0] ?? null;
    if (p instanceof Unknown) return new Unknown({}, `${name}()`);
    if (!(p instanceof RPath)) throw new RulesError(`${name}() expects a path, got ${typeName(p)}`);
    const segs = p.segments;
    if (segs[0] !== 'databases' || segs[2] !== 'documents' || segs.length < 5 || (segs.length - 3) % 2 !== 0)
      throw new RulesError(`${name}(): ${p.toString()} is not a document path (/databases/{db}/documents/{collection}/{id}...)`);
    const access = this.req.access;
    if (!access) throw new RulesError(`${name}() is not available here`);
    const after = name.endsWith('After');
    this.req.budget.charge(`${after ? 'after' : 'before'}:${p.toString()}`);
    const doc = access.read(p, after);
    if (name.startsWith('exists')) return doc !== null;
    // get() of a missing document is null; using its fields then fails the condition.
    return doc;
  }
}

/**
 * A query field pinned to one string by an equality filter is that string for every result, so a path built from
 * it (get(/…/clinics/$(resource.data.clinicId))) is known. Only strings: `== 1` also matches 1.0.
 */
function pinnedString(v: RValue): RValue {
  if (!(v instanceof Unknown)) return v;
  const one = v.constraint.oneOf;
  return one?.length === 1 && typeof one[0] === 'string' ? one[0] : v;
}

/** Methods whose answer a list query's constraints can decide even though the receiver is unknown. */
function symbolicMethod(receiver: RValue, name: string, args: RValue[]): RValue | undefined {
  if (!(receiver instanceof Unknown)) return undefined;
  const c = receiver.constraint;
  const arg = args[0];
  if (name === 'hasAny' && c.contains !== undefined && arg !== undefined && !(arg instanceof Unknown)) {
    const items = listOrSetItems(arg, 'hasAny');
    if (includes(items, c.contains)) return true;
  }
  if (name === 'hasAny' && c.containsAny && arg !== undefined && !(arg instanceof Unknown)) {
    const items = listOrSetItems(arg, 'hasAny');
    if (c.containsAny.every((x) => includes(items, x))) return true;
  }
  if (c.oneOf && c.oneOf.every((v) => !(v instanceof Unknown))) {
    // Every possible value decides alike: use that answer.
    const answers = c.oneOf.map((v) => {
      try {
        return callMethod(v, name, args);
      } catch {
        return undefined;
      }
    });
    const first = answers[0];
    if (first !== undefined && answers.every((a) => a !== undefined && equals(a, first))) return first;
  }
  return undefined;
}

function member(obj: RValue, name: string): RValue {
  if (obj instanceof Unknown) {
    const known = obj.constraint.fields?.get(name);
    return known ?? new Unknown({}, `${obj.label}.${name}`);
  }
  if (obj instanceof RMap) {
    if (!obj.entries.has(name)) throw new RulesError(`Property ${name} is undefined on object`);
    return obj.entries.get(name) ?? null;
  }
  if (obj === null) throw new RulesError(`Null value error: cannot read '${name}' of null`);
  throw new RulesError(`Cannot read '${name}' of a ${typeName(obj)}`);
}

function index(obj: RValue, i: RValue): RValue {
  if (obj instanceof Unknown || i instanceof Unknown) {
    if (obj instanceof Unknown && typeof i === 'string') return member(obj, i);
    return new Unknown({}, 'index');
  }
  if (obj instanceof RMap) {
    if (typeof i !== 'string') throw new RulesError(`Map index must be a string, got ${typeName(i)}`);
    return member(obj, i);
  }
  if (Array.isArray(obj) || typeof obj === 'string' || obj instanceof RPath) {
    if (typeof i !== 'bigint') throw new RulesError(`Index must be an int, got ${typeName(i)}`);
    const items: readonly RValue[] = Array.isArray(obj) ? obj : typeof obj === 'string' ? [...obj] : obj.segments;
    if (i < 0n || i >= BigInt(items.length)) throw new RulesError(`Index ${i} out of range`);
    return items[Number(i)] ?? null;
  }
  throw new RulesError(`Cannot index a ${typeName(obj)}`);
}

function slice(obj: RValue, start: RValue, end: RValue): RValue {
  if (obj instanceof Unknown) return new Unknown({}, 'slice');
  const items: readonly RValue[] | null = Array.isArray(obj) ? obj : typeof obj === 'string' ? [...obj] : obj instanceof RPath ? obj.segments : null;
  if (!items) throw new RulesError(`Cannot slice a ${typeName(obj)}`);
  const a = start === null ? 0 : Number(start);
  const b = end === null ? items.length : Number(end);
  if ((start !== null && typeof start !== 'bigint') || (end !== null && typeof end !== 'bigint')) throw new RulesError('Slice bounds must be ints');
  if (a < 0 || b > items.length || a > b) throw new RulesError(`Slice [${a}:${b}] out of range`);
  const part = items.slice(a, b);
  if (typeof obj === 'string') return part.join('');
  if (obj instanceof RPath) return new RPath(part.map(String));
  return [...part];
}

function isType(v: RValue, type: string): RValue {
  if (v instanceof Unknown) {
    const one = v.constraint.oneOf;
    if (one?.length) {
      const all = one.map((x) => isType(x, type));
      if (all.every((x) => x === true)) return true;
      if (all.every((x) => x === false)) return false;
    }
    if (type === 'list' && (v.constraint.contains !== undefined || v.constraint.containsAny)) return true;
    return new Unknown({}, `${v.label} is ${type}`);
  }
  const t = typeName(v);
  if (type === 'number') return t === 'int' || t === 'float';
  return t === type;
}

function arith(op: BinaryOp, a: RValue, b: RValue): RValue {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+':
        return int(a + b);
      case '-':
        return int(a - b);
      case '*':
        return int(a * b);
      case '/':
        if (b === 0n) throw new RulesError('Division by zero');
        return int(a / b);
      case '%':
        if (b === 0n) throw new RulesError('Modulo by zero');
        return a % b;
      default:
        break;
    }
  }
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    const x = Number(a);
    const y = Number(b);
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        return x / y;
      case '%':
        return x % y;
      default:
        break;
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  // Timestamps keep Firestore's microseconds; a duration's sub-microsecond part is dropped when added to one.
  if (a instanceof RTimestamp && b instanceof RDuration && (op === '+' || op === '-')) return new RTimestamp(op === '+' ? a.micros + b.nanos / 1000n : a.micros - b.nanos / 1000n);
  if (a instanceof RDuration && b instanceof RTimestamp && op === '+') return new RTimestamp(a.nanos / 1000n + b.micros);
  if (a instanceof RTimestamp && b instanceof RTimestamp && op === '-') return new RDuration((a.micros - b.micros) * 1000n);
  if (a instanceof RDuration && b instanceof RDuration && (op === '+' || op === '-')) return new RDuration(op === '+' ? a.nanos + b.nanos : a.nanos - b.nanos);
  if (a instanceof RDuration && typeof b === 'bigint' && op === '*') return new RDuration(a.nanos * b);
  throw new RulesError(`Operator '${op}' cannot combine ${typeName(a)} and ${typeName(b)}`);
}

/** Equality when one side is unknown: decided by the query's constraints when they pin the value down. */
function symbolicEquals(u: Unknown, k: RValue): boolean | Unknown {
  const c = u.constraint;
  if (k instanceof Unknown) return new Unknown({}, '==');
  if (c.oneOf?.length) {
    const hits = c.oneOf.map((v) => !(v instanceof Unknown) && equals(v, k));
    if (hits.every(Boolean)) return true;
    if (!hits.some(Boolean) && c.oneOf.every((v) => !(v instanceof Unknown))) return false;
  }
  if (c.noneOf?.some((v) => equals(v, k))) return false;
  if (k !== null && (c.lower || c.upper) && (typeof k !== 'object' || k instanceof RTimestamp)) {
    // Outside the query's range: cannot be equal.
    const outside = rangeExcludes(c, k);
    if (outside) return false;
  }
  return new Unknown({}, `${u.label} == ${show(k)}`);
}

function rangeExcludes(c: Constraint, k: RValue): boolean {
  try {
    if (c.lower) {
      const d = compare(k, c.lower.value);
      if (d < 0 || (d === 0 && !c.lower.inclusive)) return true;
    }
    if (c.upper) {
      const d = compare(k, c.upper.value);
      if (d > 0 || (d === 0 && !c.upper.inclusive)) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** `u op k` for an ordering operator with the unknown on the left. */
function symbolicOrder(op: '<' | '<=' | '>' | '>=', u: Unknown, k: RValue): boolean | Unknown {
  const c = u.constraint;
  if (k instanceof Unknown) return new Unknown({}, op);
  const holds = (v: RValue): boolean => {
    const d = compare(v, k);
    return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
  };
  try {
    if (c.oneOf?.length && c.oneOf.every((v) => !(v instanceof Unknown))) {
      const r = c.oneOf.map(holds);
      if (r.every(Boolean)) return true;
      if (!r.some(Boolean)) return false;
    }
    // A bound from the query proves the comparison for every document it could return.
    if ((op === '<' || op === '<=') && c.upper) {
      const d = compare(c.upper.value, k);
      if (d < 0 || (d === 0 && (op === '<=' || !c.upper.inclusive))) return true;
    }
    if ((op === '>' || op === '>=') && c.lower) {
      const d = compare(c.lower.value, k);
      if (d > 0 || (d === 0 && (op === '>=' || !c.lower.inclusive))) return true;
    }
  } catch {
    return new Unknown({}, op);
  }
  return new Unknown({}, `${u.label} ${op} ${show(k)}`);
}

const FLIP = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

function binary(op: BinaryOp, a: RValue, b: RValue): RValue {
  switch (op) {
    case '==':
    case '!=': {
      let r: boolean | Unknown;
      if (a instanceof Unknown) r = symbolicEquals(a, b);
      else if (b instanceof Unknown) r = symbolicEquals(b, a);
      else r = equals(a, b);
      if (r instanceof Unknown) return r;
      return op === '==' ? r : !r;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (a instanceof Unknown) return symbolicOrder(op, a, b);
      if (b instanceof Unknown) return symbolicOrder(FLIP[op], b, a);
      const d = compare(a, b);
      if (Number.isNaN(d)) return false;
      return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
    }
    case 'in': {
      if (b instanceof Unknown) {
        if (b.constraint.contains !== undefined && !(a instanceof Unknown) && equals(b.constraint.contains, a)) return true;
        // Every Firestore filter (even != and not-in) leaves out documents that lack the field: a field the query
        // filters on is present in every document it returns.
        if (typeof a === 'string' && b.constraint.fields?.has(a)) return true;
        return new Unknown({}, 'in');
      }
      if (a instanceof Unknown) {
        const items = b instanceof RMap ? [...b.entries.keys()] : listOrSetItems(b, "'in'");
        const one = a.constraint.oneOf;
        if (one?.length && one.every((v) => !(v instanceof Unknown))) {
          const r = one.map((v) => includes(items, v));
          if (r.every(Boolean)) return true;
          if (!r.some(Boolean)) return false;
        }
        return new Unknown({}, 'in');
      }
      if (b instanceof RMap) {
        if (typeof a !== 'string') throw new RulesError(`Map keys are strings; '${typeName(a)} in map' is an error`);
        return b.entries.has(a);
      }
      if (Array.isArray(b) || b instanceof RSet) return includes(listOrSetItems(b, "'in'"), a);
      throw new RulesError(`'in' expects a list, set or map on the right, got ${typeName(b)}`);
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      if (a instanceof Unknown || b instanceof Unknown) return new Unknown({}, op);
      return arith(op, a, b);
    case '&&':
    case '||':
      throw new RulesError('internal: logical operators are evaluated lazily');
  }
}

export interface CompiledRules {
  file: RulesFile;
  service(name: string): ServiceBlock | undefined;
}

/**
 * Evaluates one request against a service's rules.
 * @param file - the parsed rules file
 * @param serviceName - cloud.firestore or firebase.storage
 * @param req - path, method, variables and document access
 */
export function evaluateRequest(file: RulesFile, serviceName: string, req: EvalRequest): Decision {
  const service = file.services.find((s) => s.name === serviceName);
  if (!service) return { allowed: false, reason: `No rules for service ${serviceName}` };
  const ev = new Evaluation(serviceName, req);
  const root: Scope = { vars: new Map(), fns: new Map(), parent: null };
  const top = child(root, new Map(), [...file.functions, ...service.functions]);
  const failures: string[] = [];
  let matched = false;

  const visit = (blocks: MatchBlock[], from: number, scope: Scope): Allow | null => {
    for (const block of blocks) {
      for (const m of matchPattern(block.pattern, req.path, from, file.version)) {
        const s = child(scope, m.bind, block.functions);
        if (m.next === req.path.length) {
          for (const allow of block.allows) {
            if (!allow.methods.includes(req.method)) continue;
            matched = true;
            if (!allow.condition) return allow;
            try {
              ev.steps = 0;
              ev.depth = 0;
              const v = ev.eval(allow.condition, s);
              if (v === true) return allow;
              failures.push(`${v instanceof Unknown ? `could not be proven for every document the query may return (${v.label})` : `false`} @ L${allow.pos.line}`);
            } catch (e) {
              if (!(e instanceof RulesError)) throw e;
              failures.push(`${e.message} @ L${allow.pos.line}`);
            }
          }
        }
        const granted = visit(block.matches, m.next, s);
        if (granted) return granted;
      }
    }
    return null;
  };

  const granted = visit(service.matches, 0, top);
  if (granted) return { allowed: true, reason: `allowed by rule @ L${granted.pos.line}` };
  if (!matched) return { allowed: false, reason: `no rule allows '${req.method}' on this path` };
  return { allowed: false, reason: dedupe(failures).join('; ') };
}
