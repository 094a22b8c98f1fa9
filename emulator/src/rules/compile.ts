/**
 * Compiles a rules file: parses it, then checks every name (variables, functions, namespaces) against its scope so
 * typos are reported with line and column at load time instead of silently denying at run time.
 */
import type { Expr, FunctionDecl, MatchBlock, Pos, RulesFile } from './ast';
import { evaluateRequest, type Decision, type EvalRequest } from './evaluator';
import { parseRules, RulesCompileError, type CompileIssue } from './parser';

const NAMESPACE_MEMBERS: Record<string, Set<string>> = {
  math: new Set(['abs', 'ceil', 'floor', 'round', 'sqrt', 'pow', 'isInfinite', 'isNaN']),
  hashing: new Set(['crc32', 'crc32c', 'md5', 'sha256']),
  latlng: new Set(['value']),
  timestamp: new Set(['date', 'value']),
  duration: new Set(['abs', 'value', 'time']),
};
const GLOBALS = new Set(['int', 'float', 'string', 'bool', 'path', 'debug', '__bytes']);
const FIRESTORE_LOOKUPS = new Set(['get', 'exists', 'getAfter', 'existsAfter']);

interface CheckScope {
  vars: Set<string>;
  fns: Map<string, number>;
  parent: CheckScope | null;
}

function has(scope: CheckScope | null, name: string, kind: 'vars' | 'fns'): boolean {
  for (let s = scope; s; s = s.parent) if (kind === 'vars' ? s.vars.has(name) : s.fns.has(name)) return true;
  return false;
}

function arityOf(scope: CheckScope | null, name: string): number | undefined {
  for (let s = scope; s; s = s.parent) {
    const n = s.fns.get(name);
    if (n !== undefined) return n;
  }
  return undefined;
}

function isVariable(name: string, scope: CheckScope): boolean {
  return name === 'request' || name === 'resource' || has(scope, name, 'vars');
}

function checkFile(file: RulesFile): CompileIssue[] {
  const issues: CompileIssue[] = [];
  const issue = (pos: Pos, message: string) => issues.push({ ...pos, message });

  const scopeWith = (parent: CheckScope | null, vars: string[], fns: FunctionDecl[]): CheckScope => {
    const s: CheckScope = { vars: new Set(vars), fns: new Map(), parent };
    for (const f of fns) {
      if (s.fns.has(f.name)) issue(f.pos, `Function '${f.name}' is declared twice in the same block`);
      s.fns.set(f.name, f.params.length);
    }
    return s;
  };

  const expr = (e: Expr, scope: CheckScope, service: string): void => {
    switch (e.k) {
      case 'lit':
        return;
      case 'id':
        if (e.name === 'request' || e.name === 'resource' || has(scope, e.name, 'vars')) return;
        if (e.name in NAMESPACE_MEMBERS || (e.name === 'firestore' && service === 'firebase.storage'))
          issue(e.pos, `'${e.name}' is a namespace; call one of its functions, e.g. ${e.name}.${[...(NAMESPACE_MEMBERS[e.name] ?? new Set(['get']))][0] ?? 'get'}(...)`);
        else issue(e.pos, `Unknown variable '${e.name}'`);
        return;
      case 'member':
        expr(e.obj, scope, service);
        return;
      case 'index':
        expr(e.obj, scope, service);
        expr(e.index, scope, service);
        return;
      case 'slice':
        expr(e.obj, scope, service);
        if (e.start) expr(e.start, scope, service);
        if (e.end) expr(e.end, scope, service);
        return;
      case 'call': {
        for (const a of e.args) expr(a, scope, service);
        const c = e.callee;
        if (c.k === 'id') {
          const n = arityOf(scope, c.name);
          if (n !== undefined) {
            if (n !== e.args.length) issue(e.pos, `${c.name}() takes ${n} argument(s), called with ${e.args.length}`);
            return;
          }
          if (GLOBALS.has(c.name)) return;
          if (FIRESTORE_LOOKUPS.has(c.name)) {
            if (service !== 'cloud.firestore') issue(c.pos, `${c.name}() is only available in cloud.firestore rules; use firestore.${c.name === 'get' ? 'get' : 'exists'}() in storage rules`);
            return;
          }
          issue(c.pos, `Unknown function '${c.name}'`);
          return;
        }
        if (c.k === 'member' && c.obj.k === 'id' && !has(scope, c.obj.name, 'vars') && c.obj.name !== 'request' && c.obj.name !== 'resource') {
          const ns = c.obj.name;
          const members = NAMESPACE_MEMBERS[ns];
          if (members) {
            if (!members.has(c.name)) issue(c.obj.pos, `Unknown function '${ns}.${c.name}'`);
            return;
          }
          if (ns === 'firestore') {
            if (service !== 'firebase.storage') issue(c.pos, 'firestore.get()/exists() are for storage rules; use get()/exists() in cloud.firestore rules');
            else if (c.name !== 'get' && c.name !== 'exists') issue(c.pos, `Unknown function 'firestore.${c.name}'`);
            return;
          }
        }
        if (c.k === 'member' && c.name === 'bind' && c.obj.k === 'path') {
          // rules.Path#bind: `(/path/$(foo)/$(bar)).bind({...})` names placeholders that the map fills in, so a
          // bare unknown name inside $() is not an unknown variable there.
          for (const seg of c.obj.segments) if (typeof seg !== 'string' && !(seg.k === 'id' && !isVariable(seg.name, scope))) expr(seg, scope, service);
          return;
        }
        if (c.k === 'member') {
          expr(c.obj, scope, service);
          return;
        }
        issue(e.pos, 'Only functions and methods can be called');
        return;
      }
      case 'unary':
        expr(e.e, scope, service);
        return;
      case 'binary':
        expr(e.l, scope, service);
        expr(e.r, scope, service);
        return;
      case 'is':
        expr(e.e, scope, service);
        return;
      case 'ternary':
        expr(e.c, scope, service);
        expr(e.t, scope, service);
        expr(e.f, scope, service);
        return;
      case 'list':
        for (const x of e.items) expr(x, scope, service);
        return;
      case 'map':
        for (const x of e.entries) {
          expr(x.key, scope, service);
          expr(x.value, scope, service);
        }
        return;
      case 'path':
        for (const s of e.segments) if (typeof s !== 'string') expr(s, scope, service);
        return;
    }
  };

  const fn = (f: FunctionDecl, scope: CheckScope, service: string) => {
    const s = scopeWith(scope, f.params, []);
    for (const l of f.lets) {
      expr(l.value, s, service);
      if (s.vars.has(l.name)) issue(f.pos, `'${l.name}' is already defined in ${f.name}()`);
      s.vars.add(l.name);
    }
    expr(f.body, s, service);
  };

  const block = (b: MatchBlock, scope: CheckScope, service: string) => {
    const names = b.pattern.flatMap((p) => (p.kind === 'literal' ? [] : [p.name]));
    for (const n of names) if (has(scope, n, 'vars')) issue(b.pos, `Wildcard '${n}' shadows an enclosing wildcard of the same name`);
    const s = scopeWith(scope, names, b.functions);
    for (const f of b.functions) fn(f, s, service);
    for (const a of b.allows) if (a.condition) expr(a.condition, s, service);
    for (const m of b.matches) block(m, s, service);
  };

  const top = scopeWith(null, [], file.functions);
  for (const service of file.services) {
    const s = scopeWith(top, [], service.functions);
    for (const f of file.functions) fn(f, top, service.name);
    for (const f of service.functions) fn(f, s, service.name);
    for (const m of service.matches) block(m, s, service.name);
  }
  return issues;
}

/** A compiled, checked rules file ready to evaluate requests. */
export class Ruleset {
  constructor(
    readonly file: RulesFile,
    readonly source: string,
    readonly fileName: string,
  ) {}

  hasService(name: string): boolean {
    return this.file.services.some((s) => s.name === name);
  }

  /**
   * Judges one request.
   * @param service - cloud.firestore or firebase.storage
   * @param req - the request (see EvalRequest)
   */
  evaluate(service: 'cloud.firestore' | 'firebase.storage', req: EvalRequest): Decision {
    return evaluateRequest(this.file, service, req);
  }
}

/**
 * Compiles rules source.
 * @param source - the rules text
 * @param fileName - shown in error messages (e.g. firestore.rules)
 * @throws RulesCompileError listing every problem with line and column
 */
export function compileRules(source: string, fileName = 'rules'): Ruleset {
  const file = parseRules(source, fileName);
  const issues = checkFile(file);
  if (issues.length) throw new RulesCompileError(issues, fileName);
  return new Ruleset(file, source, fileName);
}
