/**
 * Custom functions: parameters, scope (wildcards and other functions of the enclosing blocks), `let` bindings,
 * and the documented limits (no recursion, call depth 20, 10 let bindings).
 */
import { firestoreRules, user, type Row } from './harness';

const alice = user('alice');
const bob = user('bob');

/** `match /users/{userId}` with the given functions and allow line; request: get users/alice. */
function usersRow(name: string, body: string, expect: Row['expect'], extra: Partial<Row> = {}): Row {
  return {
    name,
    rules: firestoreRules(`    match /users/{userId} {
${body}
    }`),
    req: { get: 'users/alice' },
    store: { 'users/alice': { name: 'Alice', role: 'patient' } },
    auth: alice,
    expect,
    ...extra,
  };
}

/** f1 calls f2 … calls fN, which returns true: a call stack N deep. */
function chain(n: number): string {
  const fns: string[] = [];
  for (let i = 1; i < n; i++) fns.push(`      function f${i}() { return f${i + 1}(); }`);
  fns.push(`      function f${n}() { return true; }`);
  return `${fns.join('\n')}\n      allow get: if f1();`;
}

/** A function with `n` let bindings, each adding one. */
function lets(n: number): string {
  const ls: string[] = [];
  for (let i = 1; i <= n; i++) ls.push(`let v${i} = ${i === 1 ? '1' : `v${i - 1} + 1`};`);
  return `      function counted() {\n        ${ls.join('\n        ')}\n        return v${n} == ${n};\n      }\n      allow get: if counted();`;
}

// https://firebase.google.com/docs/firestore/security/rules-conditions#custom_functions and
// https://firebase.google.com/docs/rules/rules-language#function — functions hold one return statement, see the
// variables and functions of the scope they are declared in, may call other functions but may not recurse, the
// call stack is limited to 20, and (rules_version 2) they may declare up to 10 `let` bindings.
export const functionRows: Row[] = [
  usersRow(
    'function with a parameter grants the owner',
    `      function isOwner(uid) { return request.auth != null && request.auth.uid == uid; }
      allow get: if isOwner(userId);`,
    'allow',
  ),
  usersRow(
    'function with a parameter denies someone else',
    `      function isOwner(uid) { return request.auth != null && request.auth.uid == uid; }
      allow get: if isOwner(userId);`,
    'deny',
    { auth: bob },
  ),
  usersRow(
    'function without parameters',
    `      function signedIn() { return request.auth != null; }
      allow get: if signedIn();`,
    'allow',
  ),
  usersRow(
    'function without parameters, anonymous caller',
    `      function signedIn() { return request.auth != null; }
      allow get: if signedIn();`,
    'deny',
    { auth: null },
  ),
  usersRow(
    'function declared in the match block reads its wildcard',
    `      function isSelf() { return request.auth.uid == userId; }
      allow get: if isSelf();`,
    'allow',
  ),
  usersRow(
    'function reads resource from the enclosing scope',
    `      function isPatient() { return resource.data.role == 'patient'; }
      allow get: if isPatient();`,
    'allow',
  ),
  {
    name: 'function declared at the service level is visible in nested matches',
    rules: `rules_version = '2';
service cloud.firestore {
  function signedIn() { return request.auth != null; }
  match /databases/{database}/documents {
    match /users/{userId} {
      allow get: if signedIn();
    }
  }
}
`,
    req: { get: 'users/alice' },
    store: { 'users/alice': { name: 'Alice' } },
    auth: alice,
    expect: 'allow',
  },
  {
    name: 'function declared in an outer match is visible in a nested match',
    rules: firestoreRules(`    function signedIn() { return request.auth != null; }
    match /users/{userId} {
      allow get: if signedIn() && request.auth.uid == userId;
    }`),
    req: { get: 'users/alice' },
    store: { 'users/alice': { name: 'Alice' } },
    auth: alice,
    expect: 'allow',
  },
  usersRow(
    'a function calls another function',
    `      function signedIn() { return request.auth != null; }
      function isOwner(uid) { return signedIn() && request.auth.uid == uid; }
      allow get: if isOwner(userId);`,
    'allow',
  ),
  usersRow(
    'function result combined with && in the condition',
    `      function isPatient() { return resource.data.role == 'patient'; }
      allow get: if isPatient() && request.auth.uid == 'bob';`,
    'deny',
  ),
  usersRow(
    'function parameters shadow nothing outside the call',
    `      function same(a, b) { return a == b; }
      allow get: if same(userId, 'alice') && !same(userId, 'bob');`,
    'allow',
  ),
  usersRow(
    'function with a ternary body',
    `      function level(role) { return role == 'admin' ? 3 : role == 'doctor' ? 2 : 1; }
      allow get: if level(resource.data.role) == 1;`,
    'allow',
  ),
  usersRow(
    'let binding used in the return',
    `      function check() {
        let name = resource.data.name;
        return name == 'Alice';
      }
      allow get: if check();`,
    'allow',
  ),
  usersRow(
    'let binding refers to an earlier let',
    `      function check() {
        let a = 1;
        let b = a + 1;
        return b == 2;
      }
      allow get: if check();`,
    'allow',
  ),
  usersRow(
    'let binding refers to a parameter',
    `      function check(x) {
        let doubled = x * 2;
        return doubled == 10;
      }
      allow get: if check(5);`,
    'allow',
  ),
  usersRow(
    'let binding evaluating false denies',
    `      function check() {
        let isAdmin = resource.data.role == 'admin';
        return isAdmin;
      }
      allow get: if check();`,
    'deny',
  ),
  usersRow('ten let bindings are allowed', lets(10), 'allow'),
  usersRow('eleven let bindings are refused', lets(11), 'deny', { denyMayBeCompileError: true }),
  usersRow('a call stack 20 deep is allowed', chain(20), 'allow'),
  usersRow('a call stack 21 deep is refused', chain(21), 'deny', { denyMayBeCompileError: true }),
  usersRow(
    'a recursive function is refused even when it would terminate',
    `      function countdown(n) { return n <= 0 || countdown(n - 1); }
      allow get: if countdown(2);`,
    'deny',
    { denyMayBeCompileError: true },
  ),
  usersRow(
    'mutually recursive functions are refused',
    `      function ping(n) { return n <= 0 || pong(n - 1); }
      function pong(n) { return n <= 0 || ping(n - 1); }
      allow get: if ping(3);`,
    'deny',
    { denyMayBeCompileError: true },
  ),
  usersRow(
    'calling a function with the wrong number of arguments is refused',
    `      function isOwner(uid) { return request.auth.uid == uid; }
      allow get: if isOwner(userId, 'extra');`,
    'deny',
    { denyMayBeCompileError: true },
  ),
];
