/**
 * Methods: read = get + list, write = create + update + delete, each granular method on its own, several methods
 * in one allow, conditionless allows, and request.method.
 */
import { firestoreRules, type Req, type Row } from './harness';

const STORE = { 'docs/d1': { v: 1 } };

const get: Req = { get: 'docs/d1' };
const list: Req = { list: 'docs' };
const create: Req = { writes: [{ path: 'docs/new', after: { v: 1 } }] };
const update: Req = { writes: [{ path: 'docs/d1', patch: { v: 2 } }] };
const del: Req = { writes: [{ path: 'docs/d1', after: null }] };
const REQS = { get, list, create, update, delete: del } as const;

function row(allow: string, method: keyof typeof REQS, expect: Row['expect']): Row {
  return {
    name: `'${allow}' ${expect === 'allow' ? 'grants' : 'does not grant'} ${method}`,
    rules: firestoreRules(`    match /docs/{id} {\n      ${allow}\n    }`),
    req: REQS[method],
    store: STORE,
    expect,
  };
}

/** Every method against one allow statement: the ones listed are granted, the others are not. */
function grid(allow: string, granted: (keyof typeof REQS)[]): Row[] {
  return (Object.keys(REQS) as (keyof typeof REQS)[]).map((m) => row(allow, m, granted.includes(m) ? 'allow' : 'deny'));
}

// https://firebase.google.com/docs/firestore/security/rules-structure#granular_operations — read splits into get
// and list, write into create, update and delete. https://firebase.google.com/docs/reference/security/storage
// (shared language): an allow without a condition always allows.
export const methodRows: Row[] = [
  ...grid('allow read: if true;', ['get', 'list']),
  ...grid('allow write: if true;', ['create', 'update', 'delete']),
  ...grid('allow get: if true;', ['get']),
  ...grid('allow list: if true;', ['list']),
  ...grid('allow create: if true;', ['create']),
  ...grid('allow update: if true;', ['update']),
  ...grid('allow delete: if true;', ['delete']),
  ...grid('allow read, write;', ['get', 'list', 'create', 'update', 'delete']),
  ...grid('allow get, create: if true;', ['get', 'create']),
  row('allow read: if false;', 'get', 'deny'),
  row('allow write: if false;', 'create', 'deny'),
  {
    name: 'no allow statement denies',
    rules: firestoreRules('    match /docs/{id} {\n    }'),
    req: get,
    store: STORE,
    expect: 'deny',
  },
  // https://firebase.google.com/docs/reference/rules/rules.firestore.Request#method — one of get, list, create,
  // update, delete.
  ...(Object.keys(REQS) as (keyof typeof REQS)[]).map((m): Row => ({
    name: `request.method is '${m}' for a ${m}`,
    rules: firestoreRules(`    match /docs/{id} {\n      allow read, write: if request.method == '${m}';\n    }`),
    req: REQS[m],
    store: STORE,
    expect: 'allow',
  })),
  {
    name: "request.method is not 'update' for a create",
    rules: firestoreRules("    match /docs/{id} {\n      allow write: if request.method == 'update';\n    }"),
    req: create,
    store: STORE,
    expect: 'deny',
  },
];
