/**
 * Parse trees of expressions: operator precedence as https://firebase.google.com/docs/rules/rules-language lists
 * it, path literals with $(…) and (default), string and bytes literal escapes, and number literals.
 */
import { describe, expect, it } from 'vitest';
import type { Expr } from './ast';
import { parseExpression, parseRules } from './parser';

/** The tree without source positions, for comparison. */
function shape(e: Expr | string): unknown {
  if (typeof e === 'string') return e;
  switch (e.k) {
    case 'lit':
      return e.value;
    case 'id':
      return e.name;
    case 'member':
      return { '.': [shape(e.obj), e.name] };
    case 'index':
      return { '[]': [shape(e.obj), shape(e.index)] };
    case 'slice':
      return { '[:]': [shape(e.obj), e.start && shape(e.start), e.end && shape(e.end)] };
    case 'call':
      return { call: [shape(e.callee), ...e.args.map(shape)] };
    case 'unary':
      return { [e.op]: [shape(e.e)] };
    case 'binary':
      return { [e.op]: [shape(e.l), shape(e.r)] };
    case 'is':
      return { is: [shape(e.e), e.type] };
    case 'ternary':
      return { '?:': [shape(e.c), shape(e.t), shape(e.f)] };
    case 'list':
      return e.items.map(shape);
    case 'map':
      return { map: e.entries.map((x) => [shape(x.key), shape(x.value)]) };
    case 'path':
      return { path: e.segments.map(shape) };
  }
}

const tree = (source: string): unknown => shape(parseExpression(source));

describe('rules parser: precedence', () => {
  const rows: [string, unknown][] = [
    ['a || b && c', { '||': ['a', { '&&': ['b', 'c'] }] }],
    ['a && b || c', { '||': [{ '&&': ['a', 'b'] }, 'c'] }],
    ['1 + 2 * 3', { '+': [1n, { '*': [2n, 3n] }] }],
    ['1 - 2 - 3', { '-': [{ '-': [1n, 2n] }, 3n] }],
    ['8 / 4 % 3', { '%': [{ '/': [8n, 4n] }, 3n] }],
    ['!a == b', { '==': [{ '!': ['a'] }, 'b'] }],
    ['a < b == c > d', { '==': [{ '<': ['a', 'b'] }, { '>': ['c', 'd'] }] }],
    ['a in b && c is int', { '&&': [{ in: ['a', 'b'] }, { is: ['c', 'int'] }] }],
    ['x + 1 in list', { in: [{ '+': ['x', 1n] }, 'list'] }],
    ['a ? b : c ? d : e', { '?:': ['a', 'b', { '?:': ['c', 'd', 'e'] }] }],
    ['a || b ? c : d', { '?:': [{ '||': ['a', 'b'] }, 'c', 'd'] }],
    ['-a.b', { '-': [{ '.': ['a', 'b'] }] }],
    ["a.b[0].c(1)['k']", { '[]': [{ call: [{ '.': [{ '[]': [{ '.': ['a', 'b'] }, 0n] }, 'c'] }, 1n] }, 'k'] }],
    ['s[1:3]', { '[:]': ['s', 1n, 3n] }],
    ["{'a': [1, 2]}", { map: [['a', [1n, 2n]]] }],
  ];
  for (const [source, expected] of rows) it(source, () => expect(tree(source)).toEqual(expected));
});

describe('rules parser: path literals', () => {
  it('/databases/$(database)/documents/users/$(request.auth.uid)', () => {
    expect(tree('/databases/$(database)/documents/users/$(request.auth.uid)')).toEqual({
      path: ['databases', 'database', 'documents', 'users', { '.': [{ '.': ['request', 'auth'] }, 'uid'] }],
    });
  });
  it('/databases/(default)/documents/a/b keeps (default) as a segment', () => {
    expect(tree('/databases/(default)/documents/a/b')).toEqual({
      path: ['databases', '(default)', 'documents', 'a', 'b'],
    });
  });
  it('an interpolation holding an expression', () => {
    expect(tree("/d/$(id + '-1')")).toEqual({ path: ['d', { '+': ['id', '-1'] }] });
  });
  it('a path literal as an operand', () => {
    expect(tree('request.path == /a/$(b)')).toEqual({ '==': [{ '.': ['request', 'path'] }, { path: ['a', 'b'] }] });
  });
  it('a path literal as a call argument', () => {
    expect(tree('exists(/a/b) && true')).toEqual({ '&&': [{ call: ['exists', { path: ['a', 'b'] }] }, true] });
  });
});

describe('rules parser: literals', () => {
  const rows: [string, unknown][] = [
    ["'a\\nb'", 'a\nb'],
    [`"say \\"hi\\""`, 'say "hi"'],
    ["'it\\'s'", "it's"],
    ["'\\u00e9'", 'é'],
    ["'\\x41\\101'", 'AA'],
    ["r'\\d+\\.'", '\\d+\\.'],
    ['r"a\\nb"', 'a\\nb'],
    ['42', 42n],
    ['0x1F', 31n],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['-9223372036854775808', -9223372036854775808n],
    ['true', true],
    ['null', null],
  ];
  for (const [source, expected] of rows) it(source, () => expect(tree(source)).toEqual(expected));

  it("b'…' is a bytes literal", () => {
    const e = parseExpression("b'\\x01€'");
    expect(e.k === 'call' && e.callee.k === 'id' && e.callee.name).toBe('__bytes');
    // One char per byte: \x01, then the UTF-8 encoding of €.
    expect(e.k === 'call' && e.args[0]?.k === 'lit' && e.args[0].value).toBe('\x01\xE2\x82\xAC');
  });
});

describe('rules parser: file structure', () => {
  it('reads rules_version, services, matches, allows and functions', () => {
    const file = parseRules(`rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function signedIn() { return request.auth != null; }
    match /users/{userId}/{rest=**} {
      allow read, update: if signedIn();
      allow delete;
    }
  }
}`);
    expect(file.version).toBe('2');
    const db = file.services[0]?.matches[0];
    expect(db?.pattern).toEqual([
      { kind: 'literal', text: 'databases' },
      { kind: 'single', name: 'database' },
      { kind: 'literal', text: 'documents' },
    ]);
    expect(db?.functions.map((f) => f.name)).toEqual(['signedIn']);
    const users = db?.matches[0];
    expect(users?.pattern).toEqual([
      { kind: 'literal', text: 'users' },
      { kind: 'single', name: 'userId' },
      { kind: 'rest', name: 'rest' },
    ]);
    expect(users?.allows.map((a) => [a.methods, a.condition === null])).toEqual([
      [['get', 'list', 'update'], false],
      [['delete'], true],
    ]);
  });

  it('defaults to rules_version 1', () => {
    expect(parseRules('service firebase.storage { match /b/{bucket}/o { allow read; } }').version).toBe('1');
  });
});
