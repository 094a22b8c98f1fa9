/**
 * Parser for the Security Rules language (rules_version = '2'): a hand-written lexer and recursive-descent parser.
 * Errors carry line and column so a bad rules file is reported the way the Firebase console reports it, and the
 * engine keeps serving the last good rules.
 */
import type { Allow, BinaryOp, Expr, FunctionDecl, MatchBlock, Method, PatternSegment, Pos, RulesFile, ServiceBlock } from './ast';

export interface CompileIssue {
  line: number;
  column: number;
  message: string;
}

/** A rules file that does not compile: every issue found, each with its position. */
export class RulesCompileError extends Error {
  constructor(
    readonly issues: CompileIssue[],
    readonly fileName = 'rules',
  ) {
    super(issues.map((i) => `${fileName}:${i.line}:${i.column}: ${i.message}`).join('\n'));
    this.name = 'RulesCompileError';
  }
}

type Tok =
  | { t: 'id'; v: string; pos: Pos; at: number; end: number }
  | { t: 'int'; v: bigint; pos: Pos; at: number; end: number }
  | { t: 'float'; v: number; pos: Pos; at: number; end: number }
  | { t: 'str'; v: string; pos: Pos; at: number; end: number }
  | { t: 'p'; v: string; pos: Pos; at: number; end: number }
  | { t: 'eof'; v: ''; pos: Pos; at: number; end: number };

const PUNCT = ['&&', '||', '==', '!=', '<=', '>=', '$(', '{', '}', '(', ')', '[', ']', ',', ';', ':', '.', '/', '=', '<', '>', '!', '+', '-', '*', '%', '?'];
const METHODS: Record<string, Method[]> = {
  read: ['get', 'list'],
  write: ['create', 'update', 'delete'],
  get: ['get'],
  list: ['list'],
  create: ['create'],
  update: ['update'],
  delete: ['delete'],
};
const MAX_LETS = 10;
const RESERVED = new Set(['if', 'in', 'is', 'let', 'return', 'function', 'match', 'allow', 'service', 'true', 'false', 'null']);

class Parser {
  private i = 0;
  private version: '1' | '2' = '1';
  private tok: Tok;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly src: string) {
    for (let k = 0; k < src.length; k++) if (src[k] === '\n') this.lineStarts.push(k + 1);
    this.tok = this.lex();
  }

  posAt(index: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - (this.lineStarts[lo] ?? 0) + 1 };
  }

  fail(message: string, at: Pos = this.tok.pos): never {
    throw new RulesCompileError([{ ...at, message }]);
  }

  // ---- lexer ------------------------------------------------------------------------------------------------

  private skipSpace(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\uFEFF') this.i++;
      else if (c === '/' && s[this.i + 1] === '/') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '/' && s[this.i + 1] === '*') {
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('Unterminated comment', this.posAt(this.i));
        this.i = end + 2;
      } else return;
    }
  }

  private lex(): Tok {
    this.skipSpace();
    const s = this.src;
    const at = this.i;
    const pos = this.posAt(at);
    if (at >= s.length) return { t: 'eof', v: '', pos, at, end: at };
    const c = s[at] ?? '';
    if (/[A-Za-z_]/.test(c)) {
      // r'raw' and b'bytes' string prefixes.
      if ((c === 'r' || c === 'b') && (s[at + 1] === "'" || s[at + 1] === '"')) {
        this.i++;
        const str = this.lexString(c === 'r', c === 'b');
        return { t: 'str', v: c === 'b' ? `\u0000bytes:${str}` : str, pos, at, end: this.i };
      }
      let j = at + 1;
      while (j < s.length && /[A-Za-z0-9_]/.test(s[j] ?? '')) j++;
      this.i = j;
      return { t: 'id', v: s.slice(at, j), pos, at, end: j };
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[at + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.(?![A-Za-z_.])(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|[0-9]+)/.exec(
        s.slice(at),
      );
      const text = m?.[0] ?? c;
      this.i = at + text.length;
      if (/^0[xX]/.test(text) || /^[0-9]+$/.test(text)) return { t: 'int', v: BigInt(text), pos, at, end: this.i };
      return { t: 'float', v: Number(text), pos, at, end: this.i };
    }
    if (c === "'" || c === '"') {
      const str = this.lexString(false);
      return { t: 'str', v: str, pos, at, end: this.i };
    }
    for (const p of PUNCT) {
      if (s.startsWith(p, at)) {
        this.i = at + p.length;
        return { t: 'p', v: p, pos, at, end: this.i };
      }
    }
    return this.fail(`Unexpected character '${c}'`, pos);
  }

  /**
   * Reads a quoted literal. For bytes (`b'…'`) the result holds one char per byte (latin1): characters count as
   * their UTF-8 encoding while `\xHH` and `\ooo` escapes are single bytes, as rules.Bytes documents
   * (b'€' == b'\xE2\x82\xAC' == b'\342\202\254').
   */
  private lexString(raw: boolean, bytes = false): string {
    const s = this.src;
    const quote = s[this.i];
    const startPos = this.posAt(this.i);
    this.i++;
    let out = '';
    const text = (t: string): string => (bytes ? Buffer.from(t, 'utf8').toString('latin1') : t);
    for (;;) {
      if (this.i >= s.length || s[this.i] === '\n') this.fail('Unterminated string', startPos);
      const c = String.fromCodePoint(s.codePointAt(this.i) ?? 0);
      if (c === quote) {
        this.i++;
        return out;
      }
      if (c === '\\' && !raw) {
        const n = s[this.i + 1] ?? '';
        this.i += 2;
        const simple: Record<string, string> = { a: '\x07', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '/': '/', '?': '?', '`': '`' };
        if (n in simple) out += simple[n];
        else if (/[0-3]/.test(n) && /^[0-7]{2}$/.test(s.slice(this.i, this.i + 2))) {
          // \ooo: three octal digits, one byte (or code point).
          out += String.fromCharCode(parseInt(n + s.slice(this.i, this.i + 2), 8));
          this.i += 2;
        } else if (n === 'x' || n === 'X' || n === 'u' || n === 'U') {
          const len = n === 'u' ? 4 : n === 'U' ? 8 : 2;
          const hex = s.slice(this.i, this.i + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail(`Bad \\${n} escape`, this.posAt(this.i - 2));
          const code = parseInt(hex, 16);
          out += len === 2 ? String.fromCharCode(code) : text(String.fromCodePoint(code));
          this.i += len;
        } else this.fail(`Unknown escape \\${n}`, this.posAt(this.i - 2));
        continue;
      }
      out += text(c);
      this.i += c.length;
    }
  }

  private next(): Tok {
    const t = this.tok;
    this.tok = this.lex();
    return t;
  }

  private is(v: string): boolean {
    return (this.tok.t === 'p' || this.tok.t === 'id') && this.tok.v === v;
  }

  private eat(v: string): boolean {
    if (!this.is(v)) return false;
    this.next();
    return true;
  }

  private expect(v: string, what = `'${v}'`): Tok {
    if (!this.is(v)) this.fail(`Expected ${what} but found ${this.describe()}`);
    return this.next();
  }

  private describe(): string {
    return this.tok.t === 'eof' ? 'end of file' : `'${this.src.slice(this.tok.at, this.tok.end)}'`;
  }

  private ident(what: string): { name: string; pos: Pos } {
    const t = this.tok;
    if (t.t !== 'id' || RESERVED.has(t.v)) this.fail(`Expected ${what} but found ${this.describe()}`);
    this.next();
    return { name: t.v, pos: t.pos };
  }

  /** Re-reads raw characters from the current token's start (for path patterns and path literals). */
  private rewindToToken(): void {
    this.i = this.tok.at;
  }

  // ---- file structure ---------------------------------------------------------------------------------------

  file(): RulesFile {
    let version: '1' | '2' = '1';
    if (this.is('rules_version')) {
      this.next();
      this.expect('=');
      const t = this.tok;
      if (t.t !== 'str' || (t.v !== '1' && t.v !== '2')) this.fail("rules_version must be '1' or '2'");
      version = t.v;
      this.version = version;
      this.next();
      this.eat(';');
    }
    const functions: FunctionDecl[] = [];
    const services: ServiceBlock[] = [];
    while (this.tok.t !== 'eof') {
      if (this.is('function')) functions.push(this.functionDecl());
      else if (this.is('service')) services.push(this.service());
      else this.fail(`Expected 'service' or 'function' but found ${this.describe()}`);
    }
    if (!services.length) this.fail('The file declares no service (expected `service cloud.firestore { ... }`)');
    return { version, functions, services };
  }

  private service(): ServiceBlock {
    const pos = this.expect('service').pos;
    let name = this.ident('a service name').name;
    while (this.eat('.')) name += `.${this.ident('a service name').name}`;
    if (name !== 'cloud.firestore' && name !== 'firebase.storage')
      this.fail(`Unknown service '${name}' (expected cloud.firestore or firebase.storage)`, pos);
    this.expect('{');
    const functions: FunctionDecl[] = [];
    const matches: MatchBlock[] = [];
    while (!this.is('}')) {
      if (this.is('function')) functions.push(this.functionDecl());
      else if (this.is('match')) matches.push(this.match());
      else this.fail(`Expected 'match' or 'function' but found ${this.describe()}`);
    }
    this.expect('}');
    return { name, functions, matches, pos };
  }

  private match(): MatchBlock {
    const pos = this.expect('match').pos;
    this.rewindToToken();
    const pattern = this.pattern();
    this.tok = this.lex();
    this.expect('{', "'{' after the match path");
    const block: MatchBlock = { pattern, functions: [], allows: [], matches: [], pos };
    while (!this.is('}')) {
      if (this.is('function')) block.functions.push(this.functionDecl());
      else if (this.is('match')) block.matches.push(this.match());
      else if (this.is('allow')) block.allows.push(this.allow());
      else this.fail(`Expected 'allow', 'match' or 'function' but found ${this.describe()}`);
    }
    this.expect('}');
    return block;
  }

  private pattern(): PatternSegment[] {
    const s = this.src;
    const segs: PatternSegment[] = [];
    let restAt = -1;
    if (s[this.i] !== '/') this.fail('A match path starts with /', this.posAt(this.i));
    while (s[this.i] === '/') {
      this.i++;
      const at = this.i;
      if (s[at] === '{') {
        const close = s.indexOf('}', at);
        if (close < 0) this.fail('Unclosed { in match path', this.posAt(at));
        const inner = s.slice(at + 1, close);
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(=\*\*)?$/.exec(inner);
        if (!m?.[1]) this.fail(`Bad wildcard '{${inner}}' (expected {name} or {name=**})`, this.posAt(at));
        if (m[2]) {
          if (restAt >= 0) this.fail('A match path may hold only one recursive wildcard {name=**}', this.posAt(at));
          restAt = at;
        }
        segs.push(m[2] ? { kind: 'rest', name: m[1] } : { kind: 'single', name: m[1] });
        this.i = close + 1;
      } else {
        let j = at;
        while (j < s.length && !/[\s/{}]/.test(s[j] ?? '')) j++;
        if (j === at) this.fail('Empty segment in match path', this.posAt(at));
        segs.push({ kind: 'literal', text: s.slice(at, j) });
        this.i = j;
      }
    }
    // rules_version 1 only allows a recursive wildcard as the last segment (rules-structure, "Recursive wildcards").
    if (this.version === '1' && restAt >= 0 && segs[segs.length - 1]?.kind !== 'rest')
      this.fail("In rules_version '1' a recursive wildcard {name=**} must be the last segment (use rules_version = '2')", this.posAt(restAt));
    return segs;
  }

  private allow(): Allow {
    const pos = this.expect('allow').pos;
    const methods: Method[] = [];
    do {
      const m = this.ident('a method (read, write, get, list, create, update, delete)');
      const ms = METHODS[m.name];
      if (!ms) this.fail(`Unknown method '${m.name}' (expected read, write, get, list, create, update or delete)`, m.pos);
      methods.push(...ms);
    } while (this.eat(','));
    let condition: Expr | null = null;
    if (this.eat(':')) {
      this.expect('if', "'if'");
      condition = this.expr();
    }
    this.eat(';');
    return { methods, condition, pos };
  }

  private functionDecl(): FunctionDecl {
    const pos = this.expect('function').pos;
    const name = this.ident('a function name').name;
    this.expect('(');
    const params: string[] = [];
    if (!this.is(')')) {
      do {
        const p = this.ident('a parameter name');
        if (params.includes(p.name)) this.fail(`Duplicate parameter '${p.name}'`, p.pos);
        params.push(p.name);
      } while (this.eat(','));
    }
    this.expect(')');
    this.expect('{');
    const lets: { name: string; value: Expr }[] = [];
    while (this.is('let')) {
      // rules-language, "Function": up to 10 let bindings per function.
      if (lets.length === MAX_LETS) this.fail(`A function may declare at most ${MAX_LETS} let bindings`);
      this.next();
      const n = this.ident('a variable name');
      this.expect('=');
      lets.push({ name: n.name, value: this.expr() });
      this.eat(';');
    }
    this.expect('return', "'return'");
    const body = this.expr();
    this.eat(';');
    this.expect('}');
    return { name, params, lets, body, pos };
  }

  // ---- expressions ------------------------------------------------------------------------------------------

  expr(): Expr {
    const c = this.or();
    if (this.is('?')) {
      const pos = this.next().pos;
      const t = this.expr();
      this.expect(':');
      const f = this.expr();
      return { k: 'ternary', c, t, f, pos };
    }
    return c;
  }

  private binaryLevel(ops: string[], nextLevel: () => Expr): Expr {
    let l = nextLevel();
    while (this.tok.t === 'p' && ops.includes(this.tok.v)) {
      const t = this.next();
      l = { k: 'binary', op: t.v as BinaryOp, l, r: nextLevel(), pos: t.pos };
    }
    return l;
  }

  private or(): Expr {
    return this.binaryLevel(['||'], () => this.and());
  }

  private and(): Expr {
    return this.binaryLevel(['&&'], () => this.equality());
  }

  private equality(): Expr {
    return this.binaryLevel(['==', '!='], () => this.relational());
  }

  private relational(): Expr {
    let l = this.additive();
    for (;;) {
      if (this.tok.t === 'p' && ['<', '<=', '>', '>='].includes(this.tok.v)) {
        const t = this.next();
        l = { k: 'binary', op: t.v as BinaryOp, l, r: this.additive(), pos: t.pos };
      } else if (this.is('in')) {
        const t = this.next();
        l = { k: 'binary', op: 'in', l, r: this.additive(), pos: t.pos };
      } else if (this.is('is')) {
        const t = this.next();
        const type = this.ident('a type name');
        if (!TYPE_NAMES.has(type.name)) this.fail(`Unknown type '${type.name}'`, type.pos);
        l = { k: 'is', e: l, type: type.name, pos: t.pos };
      } else return l;
    }
  }

  private additive(): Expr {
    return this.binaryLevel(['+', '-'], () => this.multiplicative());
  }

  private multiplicative(): Expr {
    return this.binaryLevel(['*', '/', '%'], () => this.unary());
  }

  private unary(): Expr {
    if (this.is('!') || this.is('-')) {
      const t = this.next();
      const e = this.unary();
      // Fold negative literals so -9223372036854775808 stays an int.
      if (t.v === '-' && e.k === 'lit' && (typeof e.value === 'bigint' || typeof e.value === 'number')) return { ...e, value: -e.value, pos: t.pos };
      return { k: 'unary', op: t.v as '!' | '-', e, pos: t.pos };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      if (this.is('.')) {
        const pos = this.next().pos;
        const t = this.tok;
        if (t.t !== 'id') this.fail(`Expected a field or method name after '.' but found ${this.describe()}`);
        this.next();
        e = { k: 'member', obj: e, name: t.v, pos };
      } else if (this.is('[')) {
        const pos = this.next().pos;
        if (this.eat(':')) {
          const end = this.is(']') ? null : this.expr();
          this.expect(']');
          e = { k: 'slice', obj: e, start: null, end, pos };
          continue;
        }
        const index = this.expr();
        if (this.eat(':')) {
          const end = this.is(']') ? null : this.expr();
          this.expect(']');
          e = { k: 'slice', obj: e, start: index, end, pos };
          continue;
        }
        this.expect(']');
        e = { k: 'index', obj: e, index, pos };
      } else if (this.is('(')) {
        const pos = this.next().pos;
        const args: Expr[] = [];
        if (!this.is(')')) {
          do args.push(this.expr());
          while (this.eat(','));
        }
        this.expect(')');
        e = { k: 'call', callee: e, args, pos };
      } else return e;
    }
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.t) {
      case 'int':
      case 'float':
        this.next();
        return { k: 'lit', value: t.v, pos: t.pos };
      case 'str':
        this.next();
        if (t.v.startsWith('\u0000bytes:')) return { k: 'call', callee: { k: 'id', name: '__bytes', pos: t.pos }, args: [{ k: 'lit', value: t.v.slice(7), pos: t.pos }], pos: t.pos };
        return { k: 'lit', value: t.v, pos: t.pos };
      case 'id':
        if (t.v === 'true' || t.v === 'false') {
          this.next();
          return { k: 'lit', value: t.v === 'true', pos: t.pos };
        }
        if (t.v === 'null') {
          this.next();
          return { k: 'lit', value: null, pos: t.pos };
        }
        if (RESERVED.has(t.v)) this.fail(`Unexpected '${t.v}'`);
        this.next();
        return { k: 'id', name: t.v, pos: t.pos };
      case 'p':
        if (t.v === '(') {
          this.next();
          const e = this.expr();
          this.expect(')');
          return e;
        }
        if (t.v === '[') {
          this.next();
          const items: Expr[] = [];
          if (!this.is(']')) {
            do {
              if (this.is(']')) break;
              items.push(this.expr());
            } while (this.eat(','));
          }
          this.expect(']');
          return { k: 'list', items, pos: t.pos };
        }
        if (t.v === '{') {
          this.next();
          const entries: { key: Expr; value: Expr }[] = [];
          if (!this.is('}')) {
            do {
              if (this.is('}')) break;
              const key = this.expr();
              this.expect(':');
              entries.push({ key, value: this.expr() });
            } while (this.eat(','));
          }
          this.expect('}');
          return { k: 'map', entries, pos: t.pos };
        }
        if (t.v === '/') return this.pathLiteral();
        return this.fail(`Unexpected ${this.describe()}`);
      case 'eof':
        return this.fail('Unexpected end of file');
    }
  }

  /** `/databases/$(database)/documents/users/$(request.auth.uid)`: raw segments and `$(expr)` interpolations. */
  private pathLiteral(): Expr {
    const pos = this.tok.pos;
    this.rewindToToken();
    const s = this.src;
    const segments: (string | Expr)[] = [];
    while (s[this.i] === '/') {
      this.i++;
      if (s.startsWith('$(', this.i)) {
        this.i += 2;
        this.tok = this.lex();
        segments.push(this.expr());
        if (!this.is(')')) this.fail(`Expected ')' to close $( in path but found ${this.describe()}`);
        this.i = this.tok.end;
        continue;
      }
      const at = this.i;
      let depth = 0;
      let j = at;
      for (; j < s.length; j++) {
        const c = s[j] ?? '';
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) break;
          depth--;
        } else if (/[\s/,;\]}]/.test(c)) break;
      }
      if (j === at) this.fail('Empty segment in path', this.posAt(at));
      segments.push(s.slice(at, j));
      this.i = j;
    }
    this.tok = this.lex();
    return { k: 'path', segments, pos };
  }
}

export const TYPE_NAMES = new Set(['bool', 'bytes', 'float', 'int', 'list', 'latlng', 'number', 'map', 'path', 'string', 'timestamp', 'duration', 'set', 'map_diff', 'constraint']);

/**
 * Parses a rules file.
 * @param source - the rules text
 * @param fileName - used in error messages
 * @throws RulesCompileError with line and column
 */
export function parseRules(source: string, fileName = 'rules'): RulesFile {
  if (typeof source !== 'string') throw new RulesCompileError([{ line: 1, column: 1, message: 'Rules source must be text' }], fileName);
  try {
    return new Parser(source).file();
  } catch (e) {
    if (e instanceof RulesCompileError) throw new RulesCompileError(e.issues, fileName);
    throw e;
  }
}

/**
 * Parses a single expression (used by tests and tools).
 * @param source - an expression, e.g. `request.auth != null`
 */
export function parseExpression(source: string): Expr {
  const p = new Parser(source);
  const e = p.expr();
  return e;
}
