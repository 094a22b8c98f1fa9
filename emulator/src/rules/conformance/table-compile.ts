/**
 * Rules files that must not load, and where the error must point: the offending token's first character. The
 * Firebase console reports deploy errors as `line:column: message`; the positions here are the token a reader
 * would fix.
 */
import { firestoreRules, storageRules, type CompileErrorRow } from './harness';

const inUsers = (allow: string): string => firestoreRules(`    match /users/{userId} {\n      ${allow}\n    }`);

// https://firebase.google.com/docs/rules/rules-language (syntax: service, match, allow, function) and
// https://firebase.google.com/docs/firestore/security/rules-structure (wildcards, recursive wildcards per version).
export const compileErrorRows: CompileErrorRow[] = [
  { name: 'unknown function', rules: inUsers('allow read: if isAdmin();'), at: 'isAdmin', mentions: 'isAdmin' },
  {
    name: 'unknown variable (a misspelt wildcard)',
    rules: inUsers("allow read: if userid == 'a';"),
    at: 'userid',
    mentions: 'userid',
  },
  {
    name: 'unknown namespace function',
    rules: inUsers('allow read: if math.floorr(1.5) == 1;'),
    at: 'math.floorr',
    mentions: 'floorr',
  },
  { name: 'syntax error: missing operand', rules: inUsers('allow read: if 1 + ;'), at: '+ ;', offset: 2 },
  { name: 'syntax error: missing if', rules: inUsers('allow read: true;'), at: 'true' },
  {
    name: 'syntax error: unbalanced parenthesis',
    rules: inUsers('allow read: if (true;'),
    at: '(true;',
    offset: 5,
    mentions: ')',
  },
  {
    name: 'unterminated string',
    rules: inUsers("allow read: if resource.data.s == 'abc;"),
    at: "'abc",
    mentions: 'string',
  },
  { name: 'unterminated comment', rules: inUsers('allow read: if true; /* no end'), at: '/*', mentions: 'comment' },
  { name: 'unknown method in allow', rules: inUsers('allow reed: if true;'), at: 'reed', mentions: 'reed' },
  {
    name: 'bad wildcard name',
    rules: firestoreRules('    match /users/{user-id} {\n      allow read: if true;\n    }'),
    at: '{user-id}',
    mentions: 'wildcard',
  },
  {
    name: 'two recursive wildcards in one match',
    rules: firestoreRules('    match /{a=**}/posts/{b=**} {\n      allow read: if true;\n    }'),
    at: '{b=**}',
    mentions: 'recursive',
  },
  {
    name: 'version 1: a recursive wildcard must be last',
    rules: firestoreRules('    match /{path=**}/posts/{post} {\n      allow read: if true;\n    }', null),
    at: '{path=**}',
    mentions: 'recursive',
  },
  {
    name: "rules_version other than '1' or '2'",
    rules: "rules_version = '3';\nservice cloud.firestore {}\n",
    at: "'3'",
    mentions: 'rules_version',
  },
  { name: 'unknown service', rules: 'service cloud.firestor {\n}\n', at: 'service', mentions: 'service' },
  {
    name: 'missing closing brace',
    rules: firestoreRules('    match /users/{userId} {\n      allow read: if true;\n    }').trimEnd().slice(0, -1),
    at: null,
  },
  {
    name: 'get() is not available in storage rules',
    rules: storageRules(
      '    match /a/{b} {\n      allow read: if get(/databases/(default)/documents/x/y) != null;\n    }',
    ),
    at: 'get(',
    mentions: 'firestore.get',
  },
];
