/**
 * Match paths: literal segments, `{wildcard}`, nesting, rules that do not cascade, overlapping matches, and the
 * recursive wildcard `{name=**}` in rules_version 1 and 2, including collection-group queries.
 */
import { firestoreRules, where, type Row } from './harness';

const CITIES = {
  'cities/SF': { name: 'San Francisco' },
  'cities/LA': { name: 'Los Angeles' },
  'cities/SF/landmarks/coit': { name: 'Coit Tower' },
};

function row(name: string, body: string, get: string, expect: Row['expect'], version: '1' | '2' | null = '2'): Row {
  return { name, rules: firestoreRules(body, version), req: { get }, store: CITIES, expect };
}

// https://firebase.google.com/docs/firestore/security/rules-structure — match statements point to documents; a
// wildcard matches one segment and binds it; rules do not cascade into subcollections; nested matches are relative
// to the outer one; if several allow expressions match a request, any true one grants.
const basics: Row[] = [
  row('a literal match grants that document', '    match /cities/SF { allow get: if true; }', 'cities/SF', 'allow'),
  row('a literal match does not grant a sibling', '    match /cities/SF { allow get: if true; }', 'cities/LA', 'deny'),
  row(
    'a wildcard matches any document of the collection',
    '    match /cities/{city} { allow get: if true; }',
    'cities/LA',
    'allow',
  ),
  row(
    "the wildcard binds the document's id",
    "    match /cities/{city} { allow get: if city == 'SF'; }",
    'cities/SF',
    'allow',
  ),
  row(
    "the wildcard's value differs for another document",
    "    match /cities/{city} { allow get: if city == 'SF'; }",
    'cities/LA',
    'deny',
  ),
  row(
    'rules do not cascade into subcollections',
    '    match /cities/{city} { allow get: if true; }',
    'cities/SF/landmarks/coit',
    'deny',
  ),
  row(
    'a nested match is relative to its parent',
    '    match /cities/{city} {\n      match /landmarks/{landmark} { allow get: if true; }\n    }',
    'cities/SF/landmarks/coit',
    'allow',
  ),
  row(
    "a nested match sees the parent's wildcard",
    "    match /cities/{city} {\n      match /landmarks/{landmark} { allow get: if city == 'SF' && landmark == 'coit'; }\n    }",
    'cities/SF/landmarks/coit',
    'allow',
  ),
  row(
    "a nested match's rules do not apply to the parent document",
    '    match /cities/{city} {\n      match /landmarks/{landmark} { allow get: if true; }\n    }',
    'cities/SF',
    'deny',
  ),
  row(
    'a match on a collection path grants no document',
    '    match /cities { allow get: if true; }',
    'cities/SF',
    'deny',
  ),
  row('a path with no matching rule is denied', '    match /users/{user} { allow get: if true; }', 'cities/SF', 'deny'),
  row(
    'overlapping matches: one true allow grants',
    '    match /cities/{city} { allow get: if false; }\n    match /cities/SF { allow get: if true; }',
    'cities/SF',
    'allow',
  ),
  row(
    'overlapping matches: a false allow cannot revoke a grant',
    '    match /{document=**} { allow get: if true; }\n    match /cities/{city} { allow get: if false; }',
    'cities/LA',
    'allow',
  ),
  row(
    'the database wildcard binds (default)',
    "    match /cities/{city} { allow get: if database == '(default)'; }",
    'cities/SF',
    'allow',
  ),
  row(
    'a wildcard with a two-segment literal prefix',
    '    match /cities/SF/landmarks/{l} { allow get: if l == "coit"; }',
    'cities/SF/landmarks/coit',
    'allow',
  ),
];

// https://firebase.google.com/docs/firestore/security/rules-structure#recursive_wildcards — version 1: a
// recursive wildcard matches one or more segments and must be last; version 2: it matches zero or more segments
// and may sit anywhere (at most one per match). Without rules_version the file is version 1.
const recursive: Row[] = [
  row(
    'v2: /cities/{document=**} matches a city',
    '    match /cities/{document=**} { allow get: if true; }',
    'cities/SF',
    'allow',
  ),
  row(
    'v2: /cities/{document=**} matches a nested document',
    '    match /cities/{document=**} { allow get: if true; }',
    'cities/SF/landmarks/coit',
    'allow',
  ),
  row(
    'v1: /cities/{document=**} matches a city',
    '    match /cities/{document=**} { allow get: if true; }',
    'cities/SF',
    'allow',
    '1',
  ),
  row(
    'v1: /cities/{document=**} matches a nested document',
    '    match /cities/{document=**} { allow get: if true; }',
    'cities/SF/landmarks/coit',
    'allow',
    '1',
  ),
  row(
    'v1: /cities/{city}/{document=**} does not match the city itself',
    '    match /cities/{city}/{document=**} { allow get: if true; }',
    'cities/SF',
    'deny',
    '1',
  ),
  row(
    'v1: /cities/{city}/{document=**} matches subcollection documents',
    '    match /cities/{city}/{document=**} { allow get: if true; }',
    'cities/SF/landmarks/coit',
    'allow',
    '1',
  ),
  row(
    'no rules_version is version 1: {document=**} needs at least one segment',
    '    match /cities/{city}/{document=**} { allow get: if true; }',
    'cities/SF',
    'deny',
    null,
  ),
  row(
    'v2: /cities/{city}/{document=**} matches the city itself',
    '    match /cities/{city}/{document=**} { allow get: if true; }',
    'cities/SF',
    'allow',
  ),
  row(
    'v2: /{document=**} matches every document',
    '    match /{document=**} { allow get: if true; }',
    'cities/SF/landmarks/coit',
    'allow',
  ),
  row(
    'v2: /{path=**}/landmarks/{l} matches a nested landmark',
    '    match /{path=**}/landmarks/{l} { allow get: if true; }',
    'cities/SF/landmarks/coit',
    'allow',
  ),
  row(
    'v2: /{path=**}/landmarks/{l} matches a top-level landmark (zero segments)',
    '    match /{path=**}/landmarks/{l} { allow get: if true; }',
    'landmarks/coit',
    'allow',
  ),
  row(
    'v2: /{path=**}/landmarks/{l} does not match another collection',
    '    match /{path=**}/landmarks/{l} { allow get: if true; }',
    'cities/SF',
    'deny',
  ),
  row(
    'v2: a recursive wildcard binds alongside a single one',
    "    match /{path=**}/landmarks/{l} { allow get: if l == 'coit'; }",
    'cities/SF/landmarks/coit',
    'allow',
  ),
];

const POSTS = {
  'users/alice/posts/p1': { published: true, author: 'alice' },
  'users/bob/posts/p2': { published: false, author: 'bob' },
};

// https://firebase.google.com/docs/firestore/security/rules-query#secure_and_query_documents_based_on_collection_groups
// — collection group queries need rules_version 2 and a match on `{name=**}` in front of the collection id; a rule
// on one parent path (users/{user}/posts/{post}) does not allow querying the group.
const groups: Row[] = [
  {
    name: 'collection group query allowed by a {path=**} rule',
    rules: firestoreRules('    match /{path=**}/posts/{post} { allow list: if true; }'),
    req: { list: 'posts', group: true },
    store: POSTS,
    expect: 'allow',
  },
  {
    name: 'collection group query not allowed by a rule on one parent path',
    rules: firestoreRules('    match /users/{user}/posts/{post} { allow list: if true; }'),
    req: { list: 'posts', group: true },
    store: POSTS,
    expect: 'deny',
  },
  {
    name: 'collection group query whose filter proves the rule',
    rules: firestoreRules('    match /{path=**}/posts/{post} { allow list: if resource.data.published == true; }'),
    req: { list: 'posts', group: true, where: where('published', 'EQUAL', true) },
    store: POSTS,
    expect: 'allow',
  },
  {
    name: 'collection group query without the filter the rule needs',
    rules: firestoreRules('    match /{path=**}/posts/{post} { allow list: if resource.data.published == true; }'),
    req: { list: 'posts', group: true },
    store: POSTS,
    expect: 'deny',
  },
  {
    name: 'a {path=**} rule also allows querying one subcollection',
    rules: firestoreRules('    match /{path=**}/posts/{post} { allow list: if true; }'),
    req: { list: 'users/alice/posts' },
    store: POSTS,
    expect: 'allow',
  },
];

export const pathRows: Row[] = [...basics, ...recursive, ...groups];
