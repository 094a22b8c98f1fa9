/**
 * Reading other documents from rules: get(), exists(), getAfter(), existsAfter(), their behaviour inside a batch
 * of several writes judged together, and the limits on document access calls.
 */
import { type Data, firestoreRules, user, type Row, type WriteSpec } from './harness';

const alice = user('alice');
const bob = user('bob');

const USERS = { 'users/alice': { role: 'admin', postCount: 0 }, 'users/bob': { role: 'patient', postCount: 0 } };

function getRow(name: string, condition: string, expect: Row['expect'], extra: Partial<Row> = {}): Row {
  return {
    name,
    rules: firestoreRules(`    match /posts/{postId} {\n      allow get: if ${condition};\n    }`),
    req: { get: 'posts/p1' },
    store: { ...USERS, 'posts/p1': { author: 'alice' } },
    auth: alice,
    expect,
    ...extra,
  };
}

const userDoc = '/databases/$(database)/documents/users/$(request.auth.uid)';

// https://firebase.google.com/docs/firestore/security/rules-conditions#access_other_documents — get() returns the
// document (its fields under .data), exists() tells whether it exists; paths are written from /databases/....
const lookups: Row[] = [
  getRow('exists() of an existing document', `exists(${userDoc})`, 'allow'),
  getRow('exists() of a missing document', `exists(${userDoc})`, 'deny', { auth: user('zoe') }),
  getRow('!exists() of a missing document', `!exists(${userDoc})`, 'allow', { auth: user('zoe') }),
  getRow('get().data field grants', `get(${userDoc}).data.role == 'admin'`, 'allow'),
  getRow('get().data field denies', `get(${userDoc}).data.role == 'admin'`, 'deny', { auth: bob }),
  getRow('get() of a missing document cannot grant', `get(${userDoc}).data.role == 'admin'`, 'deny', {
    auth: user('zoe'),
  }),
  getRow(
    'get() of a missing document guarded by exists()',
    `!exists(${userDoc}) || get(${userDoc}).data.role == 'admin'`,
    'allow',
    { auth: user('zoe') },
  ),
  getRow(
    'get() with a path from a stored field',
    "get(/databases/$(database)/documents/users/$(resource.data.author)).data.role == 'admin'",
    'allow',
  ),
  getRow(
    'get() with a path built by path()',
    "get(path('/databases/' + database + '/documents/users/alice')).data.role == 'admin'",
    'allow',
  ),
  getRow(
    'get() with a literal (default) database',
    "get(/databases/(default)/documents/users/alice).data.role == 'admin'",
    'allow',
  ),
  getRow('get().id is the document id', `get(${userDoc}).id == 'alice'`, 'allow'),
  getRow(
    'the same get() twice',
    `get(${userDoc}).data.role == 'admin' && get(${userDoc}).data.postCount == 0`,
    'allow',
  ),
  {
    name: 'get() in a write rule reads the stored state',
    rules: firestoreRules(
      `    match /posts/{postId} {\n      allow create: if get(${userDoc}).data.role == 'admin';\n    }`,
    ),
    req: { writes: [{ path: 'posts/p2', after: { author: 'alice' } }] },
    store: USERS,
    auth: alice,
    expect: 'allow',
  },
];

const POST_RULES = firestoreRules(`    match /posts/{postId} {
      allow create: if getAfter(${userDoc}).data.postCount == get(${userDoc}).data.postCount + 1;
    }
    match /users/{userId} {
      allow update: if request.auth.uid == userId
        && existsAfter(/databases/$(database)/documents/posts/$(request.resource.data.lastPost));
    }`);

// https://firebase.google.com/docs/firestore/security/rules-conditions#access_other_documents — getAfter() and
// existsAfter() see the database as it would be after the whole batch or transaction commits; get()/exists() see
// it before. Every write of a batch must be allowed for the batch to commit.
const batches: Row[] = [
  {
    name: 'batch: getAfter() sees a counter updated in the same batch',
    rules: POST_RULES,
    req: {
      writes: [
        { path: 'posts/p9', after: { author: 'alice' } },
        { path: 'users/alice', patch: { postCount: 1, lastPost: 'p9' } },
      ],
    },
    store: USERS,
    auth: alice,
    expect: 'allow',
  },
  {
    name: 'batch: getAfter() sees that the counter was not updated',
    rules: POST_RULES,
    req: { writes: [{ path: 'posts/p9', after: { author: 'alice' } }] },
    store: USERS,
    auth: alice,
    expect: 'deny',
  },
  {
    name: 'batch: one denied write denies the batch',
    rules: POST_RULES,
    req: {
      writes: [
        { path: 'posts/p9', after: { author: 'alice' } },
        { path: 'users/alice', patch: { postCount: 1, lastPost: 'nope' } },
      ],
    },
    store: USERS,
    auth: alice,
    expect: 'deny',
  },
  {
    name: 'batch: existsAfter() sees a document created in the same batch',
    rules: firestoreRules(`    match /posts/{postId} {
      allow create: if existsAfter(/databases/$(database)/documents/audit/$(postId));
    }
    match /audit/{postId} {
      allow create: if true;
    }`),
    req: {
      writes: [
        { path: 'posts/p9', after: { author: 'alice' } },
        { path: 'audit/p9', after: { by: 'alice' } },
      ],
    },
    auth: alice,
    expect: 'allow',
  },
  {
    name: 'batch: exists() does not see a document created in the same batch',
    rules: firestoreRules(`    match /posts/{postId} {
      allow create: if exists(/databases/$(database)/documents/audit/$(postId));
    }
    match /audit/{postId} {
      allow create: if true;
    }`),
    req: {
      writes: [
        { path: 'posts/p9', after: { author: 'alice' } },
        { path: 'audit/p9', after: { by: 'alice' } },
      ],
    },
    auth: alice,
    expect: 'deny',
  },
  {
    name: 'batch: existsAfter() is false for a document deleted in the same batch',
    rules: firestoreRules(`    match /posts/{postId} {
      allow delete: if !existsAfter(/databases/$(database)/documents/comments/$(postId));
    }
    match /comments/{id} {
      allow delete: if true;
    }`),
    req: {
      writes: [
        { path: 'posts/p1', after: null },
        { path: 'comments/p1', after: null },
      ],
    },
    store: { 'posts/p1': { author: 'alice' }, 'comments/p1': { text: 'hi' } },
    auth: alice,
    expect: 'allow',
  },
  {
    name: 'single write: existsAfter() of its own document on create',
    rules: firestoreRules(
      '    match /posts/{postId} {\n      allow create: if existsAfter(/databases/$(database)/documents/posts/$(postId));\n    }',
    ),
    req: { writes: [{ path: 'posts/p9', after: { author: 'alice' } }] },
    auth: alice,
    expect: 'allow',
  },
  {
    name: 'single write: getAfter() of its own document equals request.resource',
    rules: firestoreRules(
      '    match /posts/{postId} {\n      allow create: if getAfter(/databases/$(database)/documents/posts/$(postId)).data == request.resource.data;\n    }',
    ),
    req: { writes: [{ path: 'posts/p9', after: { author: 'alice', n: 1 } }] },
    auth: alice,
    expect: 'allow',
  },
];

/** `exists(/.../d/$(id + '-1')) && … && exists(/.../d/$(id + '-n'))`: n distinct documents per evaluated write. */
function existsChain(n: number): string {
  return Array.from({ length: n }, (_, i) => `exists(/databases/$(database)/documents/d/$(id + '-${i + 1}'))`).join(
    '\n        && ',
  );
}

/** Stored documents d/{id}-1 … d/{id}-n for each id. */
function lookupDocs(ids: string[], n: number): Record<string, Data> {
  const out: Record<string, Data> = {};
  for (const id of ids) for (let i = 1; i <= n; i++) out[`d/${id}-${i}`] = { ok: true };
  return out;
}

/** Rules for /w/{id} where a write of w/x uses `perWrite(x)` distinct lookups. */
function limitRules(perWrite: Record<string, number>): string {
  const blocks = Object.entries(perWrite).map(([id, n]) => `      allow write: if id == '${id}' && ${existsChain(n)};`);
  const getRule = `      allow get: if ${existsChain(perWrite.a ?? 0)};`;
  return firestoreRules(`    match /w/{id} {\n${blocks.join('\n')}\n${getRule}\n    }`);
}

function writesOf(ids: string[]): WriteSpec[] {
  return ids.map((id) => ({ path: `w/${id}`, after: { v: 1 } }));
}

// https://firebase.google.com/docs/firestore/security/rules-conditions#access_call_limits — 10 document access
// calls for single-document requests and queries; 20 for multi-document reads, transactions and batched writes,
// where the limit of 10 also applies to each operation; exceeding either denies.
const limits: Row[] = [
  {
    name: 'get request: 10 distinct lookups are allowed',
    rules: limitRules({ a: 10 }),
    req: { get: 'w/a' },
    store: lookupDocs(['a'], 10),
    expect: 'allow',
  },
  {
    name: 'get request: 11 distinct lookups are denied',
    rules: limitRules({ a: 11 }),
    req: { get: 'w/a' },
    store: lookupDocs(['a'], 11),
    expect: 'deny',
  },
  {
    name: 'single write: 10 distinct lookups are allowed',
    rules: limitRules({ a: 10 }),
    req: { writes: writesOf(['a']) },
    store: lookupDocs(['a'], 10),
    expect: 'allow',
  },
  {
    name: 'single write: 11 distinct lookups are denied',
    rules: limitRules({ a: 11 }),
    req: { writes: writesOf(['a']) },
    store: lookupDocs(['a'], 11),
    expect: 'deny',
  },
  {
    name: 'batch of 2 writes: 10 + 10 distinct lookups (20) are allowed',
    rules: limitRules({ a: 10, b: 10 }),
    req: { writes: writesOf(['a', 'b']) },
    store: lookupDocs(['a', 'b'], 10),
    expect: 'allow',
  },
  {
    name: 'batch of 3 writes: 7 + 7 + 7 distinct lookups (21) are denied',
    rules: limitRules({ a: 7, b: 7, c: 7 }),
    req: { writes: writesOf(['a', 'b', 'c']) },
    store: lookupDocs(['a', 'b', 'c'], 7),
    expect: 'deny',
  },
  {
    name: 'batch of 3 writes: 6 + 6 + 6 distinct lookups (18) are allowed',
    rules: limitRules({ a: 6, b: 6, c: 6 }),
    req: { writes: writesOf(['a', 'b', 'c']) },
    store: lookupDocs(['a', 'b', 'c'], 6),
    expect: 'allow',
  },
  {
    name: 'batch of 2 writes: one write using 11 lookups is denied (10 per operation)',
    rules: limitRules({ a: 11, b: 1 }),
    req: { writes: writesOf(['a', 'b']) },
    store: lookupDocs(['a', 'b'], 11),
    expect: 'deny',
  },
];

export const lookupRows: Row[] = [...lookups, ...batches, ...limits];
