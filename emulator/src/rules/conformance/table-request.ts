/**
 * The request and resource variables: request.resource on writes, resource (the stored document), request.time,
 * request.path, resource.id / __name__, and request.query's limit and offset.
 */
import { COMMIT_TIME, firestoreRules, ts, user, type Req, type Row } from './harness';

const alice = user('alice');
const STORE = {
  'notes/n1': { owner: 'alice', title: 'Hi', visibility: 'public', createdAt: ts('2025-01-01T00:00:00Z') },
};

function writeRow(name: string, allow: string, req: Req, expect: Row['expect']): Row {
  return {
    name,
    rules: firestoreRules(`    match /notes/{noteId} {\n      ${allow}\n    }`),
    req,
    store: STORE,
    auth: alice,
    expect,
  };
}

const createNote = (data: Record<string, unknown>): Req => ({ writes: [{ path: 'notes/n2', after: data }] });
const updateNote = (patch: Record<string, unknown>): Req => ({ writes: [{ path: 'notes/n1', patch }] });

// https://firebase.google.com/docs/firestore/security/rules-conditions#data_validation — request.resource is the
// document as it would be after the write (the whole document, including fields the write did not touch);
// resource is the document as stored.
const data: Row[] = [
  writeRow(
    'create: request.resource.data field type checked',
    'allow create: if request.resource.data.title is string;',
    createNote({ title: 'x', owner: 'alice' }),
    'allow',
  ),
  writeRow(
    'create: wrong field type denied',
    'allow create: if request.resource.data.title is string;',
    createNote({ title: 3, owner: 'alice' }),
    'deny',
  ),
  writeRow(
    'create: owner must be the caller',
    'allow create: if request.resource.data.owner == request.auth.uid;',
    createNote({ title: 'x', owner: 'alice' }),
    'allow',
  ),
  writeRow(
    "create: someone else's owner denied",
    'allow create: if request.resource.data.owner == request.auth.uid;',
    createNote({ title: 'x', owner: 'bob' }),
    'deny',
  ),
  writeRow(
    'create: required keys present',
    "allow create: if request.resource.data.keys().hasAll(['title', 'owner']);",
    createNote({ title: 'x', owner: 'alice' }),
    'allow',
  ),
  writeRow(
    'create: required key missing',
    "allow create: if request.resource.data.keys().hasAll(['title', 'owner']);",
    createNote({ title: 'x' }),
    'deny',
  ),
  writeRow(
    'create: only allowed keys',
    "allow create: if request.resource.data.keys().hasOnly(['title', 'owner']);",
    createNote({ title: 'x', owner: 'alice' }),
    'allow',
  ),
  writeRow(
    'create: an extra key denied',
    "allow create: if request.resource.data.keys().hasOnly(['title', 'owner']);",
    createNote({ title: 'x', owner: 'alice', admin: true }),
    'deny',
  ),
  writeRow(
    'create: string length bound',
    'allow create: if request.resource.data.title.size() <= 5;',
    createNote({ title: 'short' }),
    'allow',
  ),
  writeRow(
    'create: string too long',
    'allow create: if request.resource.data.title.size() <= 5;',
    createNote({ title: 'too long' }),
    'deny',
  ),
  writeRow('create: resource is null', 'allow create: if resource == null;', createNote({ title: 'x' }), 'allow'),
  writeRow(
    'create: request.resource.id is the new id',
    "allow create: if request.resource.id == 'n2';",
    createNote({ title: 'x' }),
    'allow',
  ),
  writeRow(
    'create: the {noteId} wildcard is the new id',
    "allow create: if noteId == 'n2';",
    createNote({ title: 'x' }),
    'allow',
  ),
  writeRow(
    'update: unchanged owner',
    'allow update: if request.resource.data.owner == resource.data.owner;',
    updateNote({ title: 'new' }),
    'allow',
  ),
  writeRow(
    'update: changed owner denied',
    'allow update: if request.resource.data.owner == resource.data.owner;',
    updateNote({ owner: 'bob' }),
    'deny',
  ),
  writeRow(
    'update: request.resource.data holds untouched fields too',
    "allow update: if request.resource.data.visibility == 'public' && request.resource.data.title == 'new';",
    updateNote({ title: 'new' }),
    'allow',
  ),
  writeRow(
    'update: resource.data is the stored document',
    "allow update: if resource.data.title == 'Hi';",
    updateNote({ title: 'new' }),
    'allow',
  ),
  writeRow(
    'update: only the stored owner may update',
    'allow update: if resource.data.owner == request.auth.uid;',
    updateNote({ title: 'new' }),
    'allow',
  ),
  writeRow(
    'delete: resource is the stored document',
    'allow delete: if resource.data.owner == request.auth.uid;',
    { writes: [{ path: 'notes/n1', after: null }] },
    'allow',
  ),
];

// https://firebase.google.com/docs/firestore/security/rules-conditions — resource.data is the stored document;
// https://firebase.google.com/docs/reference/rules/rules.firestore.Resource — __name__ (the full document path)
// and id (the document id); https://firebase.google.com/docs/reference/rules/rules.firestore.Request — path.
function getRow(name: string, condition: string, expect: Row['expect'], path = 'notes/n1'): Row {
  return {
    name,
    rules: firestoreRules(`    match /notes/{noteId} {\n      allow get: if ${condition};\n    }`),
    req: { get: path },
    store: STORE,
    auth: alice,
    expect,
  };
}

const resource: Row[] = [
  getRow('get: stored field allows', "resource.data.visibility == 'public'", 'allow'),
  getRow('get: stored field denies', "resource.data.visibility == 'private'", 'deny'),
  getRow('get: resource.id', "resource.id == 'n1'", 'allow'),
  getRow(
    "get: resource['__name__'] is the document path",
    "resource['__name__'] == /databases/$(database)/documents/notes/n1",
    'allow',
  ),
  getRow(
    'get: request.path is the document path',
    'request.path == /databases/$(database)/documents/notes/$(noteId)',
    'allow',
  ),
  getRow(
    'get: request.path spelled with (default)',
    'request.path == /databases/(default)/documents/notes/n1',
    'allow',
  ),
  getRow('get of a missing document: resource is null', 'resource == null', 'allow', 'notes/missing'),
  getRow(
    'get of a missing document: resource.data is an error',
    "resource.data.visibility == 'public'",
    'deny',
    'notes/missing',
  ),
];

// https://firebase.google.com/docs/firestore/security/rules-conditions — request.time is the time the request was
// received; server timestamps written by the request equal request.time
// (https://firebase.google.com/docs/firestore/security/rules-fields#enforcing_timestamp_fields).
const time: Row[] = [
  getRow('request.time is after 2020', 'request.time > timestamp.date(2020, 1, 1)', 'allow'),
  getRow('request.time is before 2200', 'request.time < timestamp.date(2200, 1, 1)', 'allow'),
  getRow('request.time is not before 2000', 'request.time < timestamp.date(2000, 1, 1)', 'deny'),
  getRow('request.time compared with a stored timestamp', 'request.time > resource.data.createdAt', 'allow'),
  getRow(
    'request.time within a duration of a stored timestamp',
    "request.time < resource.data.createdAt + duration.value(1, 'd')",
    'deny',
  ),
  writeRow(
    'create: server timestamp equals request.time',
    'allow create: if request.resource.data.createdAt == request.time;',
    createNote({ title: 'x', createdAt: ts(COMMIT_TIME) }),
    'allow',
  ),
  writeRow(
    'create: a client timestamp is not request.time',
    'allow create: if request.resource.data.createdAt == request.time;',
    createNote({ title: 'x', createdAt: ts('2025-06-01T11:59:59Z') }),
    'deny',
  ),
  writeRow(
    'update: updatedAt must be request.time',
    'allow update: if request.resource.data.updatedAt == request.time;',
    updateNote({ updatedAt: ts(COMMIT_TIME) }),
    'allow',
  ),
  writeRow(
    'create: request.time at the commit time',
    "allow create: if request.time == timestamp.value(1748779200123) + duration.value(456000, 'ns');",
    createNote({ title: 'x' }),
    'allow',
  ),
];

const listRules = (condition: string): string =>
  firestoreRules(`    match /notes/{noteId} {\n      allow list: if ${condition};\n    }`);

// https://firebase.google.com/docs/firestore/security/rules-query#evaluating_constraints_on_queries — rules can
// check a query's limit (request.query.limit); a query without the limit the rule requires is denied.
// https://firebase.google.com/docs/reference/rules/rules.firestore.Request#query — limit, offset, orderBy.
const query: Row[] = [
  {
    name: 'query limit under the bound',
    rules: listRules('request.query.limit <= 10'),
    req: { list: 'notes', limit: 5 },
    store: STORE,
    expect: 'allow',
  },
  {
    name: 'query limit at the bound',
    rules: listRules('request.query.limit <= 10'),
    req: { list: 'notes', limit: 10 },
    store: STORE,
    expect: 'allow',
  },
  {
    name: 'query limit over the bound',
    rules: listRules('request.query.limit <= 10'),
    req: { list: 'notes', limit: 11 },
    store: STORE,
    expect: 'deny',
  },
  {
    name: 'query without a limit',
    rules: listRules('request.query.limit <= 10'),
    req: { list: 'notes' },
    store: STORE,
    expect: 'deny',
  },
  {
    name: 'query offset under the bound',
    rules: listRules('request.query.offset <= 10'),
    req: { list: 'notes', offset: 5 },
    store: STORE,
    expect: 'allow',
  },
  {
    name: 'query offset over the bound',
    rules: listRules('request.query.offset <= 10'),
    req: { list: 'notes', offset: 50 },
    store: STORE,
    expect: 'deny',
  },
  {
    name: 'request.method is list for a query',
    rules: listRules("request.method == 'list'"),
    req: { list: 'notes' },
    store: STORE,
    expect: 'allow',
  },
];

export const requestRows: Row[] = [...data, ...resource, ...time, ...query];
