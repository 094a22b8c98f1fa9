/**
 * List queries are judged from their constraints, never by filtering results: the rule must hold for every
 * document the query could return, as far as its filters tell.
 */
import { and, firestoreRules, isNull, or, user, where, type Req, type Row } from './harness';

const alice = user('alice');

const STORIES = {
  'stories/s1': {
    author: 'alice',
    published: true,
    status: 'open',
    price: 10,
    age: 30,
    region: 'eu',
    members: ['alice', 'bob'],
    meta: { owner: 'alice' },
  },
  'stories/s2': {
    author: 'bob',
    published: false,
    status: 'closed',
    price: 200,
    age: 15,
    region: 'us',
    members: ['bob'],
    meta: { owner: 'bob' },
  },
};

function row(
  name: string,
  condition: string,
  req: Omit<Extract<Req, { list: string }>, 'list'>,
  expect: Row['expect'],
): Row {
  return {
    name,
    rules: firestoreRules(`    match /stories/{storyId} {\n      allow list: if ${condition};\n    }`),
    req: { list: 'stories', ...req },
    store: STORIES,
    auth: alice,
    expect,
  };
}

const AUTHOR = 'request.auth != null && request.auth.uid == resource.data.author';
const PUBLISHED_OR_AUTHOR =
  'resource.data.published == true || (request.auth != null && request.auth.uid == resource.data.author)';

// https://firebase.google.com/docs/firestore/security/rules-query — "rules are not filters": a query is allowed
// only if its constraints guarantee the rule for every result; the stories examples (author == uid; published ==
// true || author == uid) and a query with no filter being denied are the page's own.
const equality: Row[] = [
  row('author rule: where author == caller', AUTHOR, { where: where('author', 'EQUAL', 'alice') }, 'allow'),
  row('author rule: where author == someone else', AUTHOR, { where: where('author', 'EQUAL', 'bob') }, 'deny'),
  row('author rule: no filter', AUTHOR, {}, 'deny'),
  row('author rule: a filter on an unrelated field', AUTHOR, { where: where('published', 'EQUAL', true) }, 'deny'),
  // rules-query: a filter on a field returns only documents that have it, so `'field' in resource.data` holds.
  row("'author' in resource.data: where author == someone", "'author' in resource.data", { where: where('author', 'EQUAL', 'bob') }, 'allow'),
  row("'author' in resource.data: where author != someone", "'author' in resource.data", { where: where('author', 'NOT_EQUAL', 'bob') }, 'allow'),
  row("'author' in resource.data: no filter", "'author' in resource.data", {}, 'deny'),
  row("'author' in resource.data: a filter on another field", "'author' in resource.data", { where: where('published', 'EQUAL', true) }, 'deny'),
  row(
    'published-or-author rule: where published == true',
    PUBLISHED_OR_AUTHOR,
    { where: where('published', 'EQUAL', true) },
    'allow',
  ),
  row(
    'published-or-author rule: where author == caller',
    PUBLISHED_OR_AUTHOR,
    { where: where('author', 'EQUAL', 'alice') },
    'allow',
  ),
  row(
    'published-or-author rule: where published == false',
    PUBLISHED_OR_AUTHOR,
    { where: where('published', 'EQUAL', false) },
    'deny',
  ),
  row('published-or-author rule: no filter', PUBLISHED_OR_AUTHOR, {}, 'deny'),
  row(
    'a rule on resource is never proven without filters, even with orderBy and limit',
    'resource.data.published == true',
    { orderBy: ['price'], limit: 5 },
    'deny',
  ),
  row(
    'filter plus orderBy and limit',
    'resource.data.published == true',
    { where: where('published', 'EQUAL', true), orderBy: ['price'], limit: 5 },
    'allow',
  ),
  row('a rule that ignores resource needs no filter', 'request.auth != null', {}, 'allow'),
  row(
    'two-field rule: both fields filtered',
    "resource.data.author == 'alice' && resource.data.region == 'eu'",
    { where: and(where('author', 'EQUAL', 'alice'), where('region', 'EQUAL', 'eu')) },
    'allow',
  ),
  row(
    'two-field rule: one field filtered',
    "resource.data.author == 'alice' && resource.data.region == 'eu'",
    { where: where('author', 'EQUAL', 'alice') },
    'deny',
  ),
  row(
    'a nested field filtered with a dotted path',
    'resource.data.meta.owner == request.auth.uid',
    { where: where('meta.owner', 'EQUAL', 'alice') },
    'allow',
  ),
  row(
    'where field == null proves a null rule',
    'resource.data.deletedAt == null',
    { where: isNull('deletedAt') },
    'allow',
  ),
  row(
    'equality filter proves a != rule',
    "resource.data.status != 'closed'",
    { where: where('status', 'EQUAL', 'open') },
    'allow',
  ),
  row(
    'equality filter with the forbidden value',
    "resource.data.status != 'closed'",
    { where: where('status', 'EQUAL', 'closed') },
    'deny',
  ),
];

// Same page: `in`, `array-contains`, `!=`/`not-in` and range filters constrain the values a result may hold.
const membership: Row[] = [
  row(
    "in filter inside the rule's list",
    "resource.data.status in ['open', 'pending']",
    { where: where('status', 'IN', ['open']) },
    'allow',
  ),
  row(
    'in filter with every value allowed',
    "resource.data.status in ['open', 'pending']",
    { where: where('status', 'IN', ['pending', 'open']) },
    'allow',
  ),
  row(
    "in filter with a value outside the rule's list",
    "resource.data.status in ['open', 'pending']",
    { where: where('status', 'IN', ['open', 'draft']) },
    'deny',
  ),
  row(
    'in filter of one value proves ==',
    "resource.data.region == 'eu'",
    { where: where('region', 'IN', ['eu']) },
    'allow',
  ),
  row(
    'in filter of two values does not prove ==',
    "resource.data.region == 'eu'",
    { where: where('region', 'IN', ['eu', 'us']) },
    'deny',
  ),
  row(
    'array-contains proves `uid in list`',
    'request.auth.uid in resource.data.members',
    { where: where('members', 'ARRAY_CONTAINS', 'alice') },
    'allow',
  ),
  row(
    'array-contains proves hasAny([uid])',
    'resource.data.members.hasAny([request.auth.uid])',
    { where: where('members', 'ARRAY_CONTAINS', 'alice') },
    'allow',
  ),
  row(
    'array-contains of another value',
    'request.auth.uid in resource.data.members',
    { where: where('members', 'ARRAY_CONTAINS', 'bob') },
    'deny',
  ),
  row('no array-contains filter', 'request.auth.uid in resource.data.members', {}, 'deny'),
  row(
    '!= filter proves a != rule',
    "resource.data.status != 'deleted'",
    { where: where('status', 'NOT_EQUAL', 'deleted') },
    'allow',
  ),
  row(
    'not-in filter proves a != rule',
    "resource.data.status != 'deleted'",
    { where: where('status', 'NOT_IN', ['deleted', 'archived']) },
    'allow',
  ),
  row(
    '!= filter on another value',
    "resource.data.status != 'deleted'",
    { where: where('status', 'NOT_EQUAL', 'archived') },
    'deny',
  ),
];

const range: Row[] = [
  row(
    'price < 50 proves price < 100',
    'resource.data.price < 100',
    { where: where('price', 'LESS_THAN', 50) },
    'allow',
  ),
  row(
    'price < 100 proves price < 100',
    'resource.data.price < 100',
    { where: where('price', 'LESS_THAN', 100) },
    'allow',
  ),
  row(
    'price <= 100 does not prove price < 100',
    'resource.data.price < 100',
    { where: where('price', 'LESS_THAN_OR_EQUAL', 100) },
    'deny',
  ),
  row(
    'price < 150 does not prove price < 100',
    'resource.data.price < 100',
    { where: where('price', 'LESS_THAN', 150) },
    'deny',
  ),
  row(
    'price <= 100 proves price <= 100',
    'resource.data.price <= 100',
    { where: where('price', 'LESS_THAN_OR_EQUAL', 100) },
    'allow',
  ),
  row('age > 20 proves age >= 18', 'resource.data.age >= 18', { where: where('age', 'GREATER_THAN', 20) }, 'allow'),
  row(
    'age >= 18 proves age >= 18',
    'resource.data.age >= 18',
    { where: where('age', 'GREATER_THAN_OR_EQUAL', 18) },
    'allow',
  ),
  row(
    'age > 17 does not prove age >= 18 (17.5 passes the filter)',
    'resource.data.age >= 18',
    { where: where('age', 'GREATER_THAN', 17) },
    'deny',
  ),
  row(
    'a lower bound does not prove an upper bound',
    'resource.data.price < 100',
    { where: where('price', 'GREATER_THAN', 10) },
    'deny',
  ),
  row(
    'both bounds filtered',
    'resource.data.price > 0 && resource.data.price < 100',
    { where: and(where('price', 'GREATER_THAN', 5), where('price', 'LESS_THAN', 50)) },
    'allow',
  ),
  row(
    'equality filter proves a range rule',
    'resource.data.price < 100',
    { where: where('price', 'EQUAL', 10) },
    'allow',
  ),
  row(
    'equality filter outside the range',
    'resource.data.price < 100',
    { where: where('price', 'EQUAL', 200) },
    'deny',
  ),
  row(
    'string range filter',
    "resource.data.region >= 'a' && resource.data.region < 'm'",
    { where: and(where('region', 'GREATER_THAN_OR_EQUAL', 'e'), where('region', 'LESS_THAN', 'f')) },
    'allow',
  ),
];

// https://firebase.google.com/docs/firestore/security/rules-query#evaluating_constraints_on_queries and
// https://firebase.google.com/docs/firestore/query-data/queries#or_queries — an OR query is allowed only if the
// rule holds for each of its disjunctions.
const orQueries: Row[] = [
  row(
    'OR of two allowed values',
    "resource.data.status in ['open', 'pending']",
    { where: or(where('status', 'EQUAL', 'open'), where('status', 'EQUAL', 'pending')) },
    'allow',
  ),
  row(
    'OR with one disallowed branch',
    "resource.data.status in ['open', 'pending']",
    { where: or(where('status', 'EQUAL', 'open'), where('status', 'EQUAL', 'closed')) },
    'deny',
  ),
  row(
    'OR whose branches prove different sides of the rule',
    PUBLISHED_OR_AUTHOR,
    { where: or(where('published', 'EQUAL', true), where('author', 'EQUAL', 'alice')) },
    'allow',
  ),
  row(
    'OR with a branch proving nothing',
    PUBLISHED_OR_AUTHOR,
    { where: or(where('published', 'EQUAL', true), where('region', 'EQUAL', 'eu')) },
    'deny',
  ),
  row(
    'AND of an equality and an OR',
    "resource.data.author == 'alice' && resource.data.status in ['open', 'pending']",
    {
      where: and(
        where('author', 'EQUAL', 'alice'),
        or(where('status', 'EQUAL', 'open'), where('status', 'EQUAL', 'pending')),
      ),
    },
    'allow',
  ),
  row(
    'AND of an equality and an OR, equality missing from one side of the rule',
    "resource.data.author == 'alice' && resource.data.status in ['open', 'pending']",
    {
      where: or(
        and(where('author', 'EQUAL', 'alice'), where('status', 'EQUAL', 'open')),
        where('status', 'EQUAL', 'pending'),
      ),
    },
    'deny',
  ),
];

const STAFF = 'exists(/databases/$(database)/documents/clinics/$(resource.data.clinicId)/staff/$(request.auth.uid))';

// https://firebase.google.com/docs/firestore/security/rules-query — a rule may read another document whose path
// comes from a field the query pins down; without that filter the path is not known and the query is denied.
const lookups: Row[] = [
  {
    ...row('get() on a path from a filtered field', STAFF, { where: where('clinicId', 'EQUAL', 'c1') }, 'allow'),
    store: { ...STORIES, 'clinics/c1/staff/alice': { role: 'doctor' } },
  },
  {
    ...row(
      'get() on a path from a filtered field, caller not staff',
      STAFF,
      { where: where('clinicId', 'EQUAL', 'c2') },
      'deny',
    ),
    store: { ...STORIES, 'clinics/c1/staff/alice': { role: 'doctor' } },
  },
  {
    ...row('get() on a path from an unfiltered field', STAFF, {}, 'deny'),
    store: { ...STORIES, 'clinics/c1/staff/alice': { role: 'doctor' } },
  },
];

export const queryRows: Row[] = [...equality, ...membership, ...range, ...orQueries, ...lookups];
