/**
 * The compiled query's executor: a limit keeps only its window while candidates stream in, and must return exactly
 * what sorting every match would; scope is decided from the name without splitting it.
 */
import { describe, expect, it } from 'vitest';
import type { Document, Value } from './types';
import { compileQuery, execute } from './query';

const DOCS = 'projects/p/databases/(default)/documents';

function doc(path: string, fields: Record<string, Value>): Document {
  return { name: `${DOCS}/${path}`, fields, createTime: '2024-01-01T00:00:00Z', updateTime: '2024-01-01T00:00:00Z' };
}

/** A fixed shuffle (no randomness in tests): candidates arrive in no useful order. */
function shuffled<T>(xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Items with many ties on n (so `__name__` decides), one without n, one of another type. */
const items: Document[] = [
  ...Array.from({ length: 60 }, (_, i) => doc(`items/i${String(i).padStart(2, '0')}`, { n: { integerValue: String(i % 7) } })),
  doc('items/none', { other: { booleanValue: true } }),
  doc('items/text', { n: { stringValue: 'z' } }),
];

/** The reference answer: every match, sorted by the query's own comparator, then offset and limit. */
function bySortingAll(q: ReturnType<typeof compileQuery>, candidates: readonly Document[]): string[] {
  const all = candidates.filter((d) => q.inScope(d.name) && q.accepts(d)).sort(q.compare);
  const end = q.limit === undefined ? undefined : q.offset + q.limit;
  return all.slice(q.offset, end).map((d) => d.name);
}

describe('execute with a limit', () => {
  it.each([
    ['n desc, limit 10', [{ field: { fieldPath: 'n' }, direction: 'DESCENDING' }], 10, 0],
    ['n asc, limit 1', [{ field: { fieldPath: 'n' } }], 1, 0],
    ['n asc, offset 5, limit 7', [{ field: { fieldPath: 'n' } }], 7, 5],
    ['n desc, name asc, offset 55, limit 10 (past the end)', [{ field: { fieldPath: 'n' }, direction: 'DESCENDING' }, { field: { fieldPath: '__name__' } }], 10, 55],
    ['name desc, limit 3', [{ field: { fieldPath: '__name__' }, direction: 'DESCENDING' }], 3, 0],
    ['limit 0', [{ field: { fieldPath: 'n' } }], 0, 0],
  ])('%s returns what sorting every match returns', (_, orderBy, limit, offset) => {
    const q = compileQuery(DOCS, { from: [{ collectionId: 'items' }], orderBy, limit, offset });
    const candidates = shuffled(items);
    const got = execute(q, candidates).map((d) => d.name);
    expect(got).toEqual(bySortingAll(q, candidates));
    expect(got.length).toBe(Math.max(0, Math.min(limit, 61 - offset)));
  });

  it('a window larger than the buffer it keeps sorts every match instead, with the same answer', () => {
    const many = Array.from({ length: 1200 }, (_, i) => doc(`items/m${i}`, { n: { integerValue: String(i % 13) } }));
    const q = compileQuery(DOCS, { from: [{ collectionId: 'items' }], orderBy: [{ field: { fieldPath: 'n' } }], limit: 1100, offset: 3 });
    const candidates = shuffled(many);
    expect(execute(q, candidates).map((d) => d.name)).toEqual(bySortingAll(q, candidates));
  });

  it('the window follows the total order: ties on n go by name, and documents without n are left out', () => {
    const q = compileQuery(DOCS, { from: [{ collectionId: 'items' }], orderBy: [{ field: { fieldPath: 'n' }, direction: 'DESCENDING' }], limit: 4 });
    const got = execute(q, shuffled(items)).map((d) => d.name.split('/').pop());
    // The string sorts after every number (descending: first); then n = 6 for i06, i13, … in descending name order.
    expect(got).toEqual(['text', 'i55', 'i48', 'i41']);
  });
});

describe('scope, decided from the name', () => {
  const names = [
    `${DOCS}/items/a`,
    `${DOCS}/items/a/items/b`,
    `${DOCS}/x/1/items/c`,
    `${DOCS}/items/a/sub/d`,
    `${DOCS}/itemsx/e`,
    `${DOCS}/x/items`,
    `${DOCS}/x/1/itemsitems/f`,
    `projects/p/databases/(default)/documentsx/items/g`,
    `projects/q/databases/(default)/documents/items/h`,
  ];
  const inScope = (parent: string, allDescendants: boolean) => {
    const q = compileQuery(parent, { from: [{ collectionId: 'items', allDescendants }] });
    return names.filter((n) => q.inScope(n)).map((n) => n.slice(DOCS.length));
  };

  it('a collection holds its direct documents only', () => {
    expect(inScope(DOCS, false)).toEqual(['/items/a']);
    expect(inScope(`${DOCS}/items/a`, false)).toEqual(['/items/a/items/b']);
  });

  it('a collection group holds every document of a collection with that id below the parent', () => {
    expect(inScope(DOCS, true)).toEqual(['/items/a', '/items/a/items/b', '/x/1/items/c']);
    expect(inScope(`${DOCS}/x/1`, true)).toEqual(['/x/1/items/c']);
  });
});

describe('cursors', () => {
  it('startAfter and endAt on n and __name__ bound the window like a full sort', () => {
    const at = (i: number): Value => ({ referenceValue: `${DOCS}/items/i${String(i).padStart(2, '0')}` });
    const q = compileQuery(DOCS, {
      from: [{ collectionId: 'items' }],
      where: { fieldFilter: { field: { fieldPath: 'n' }, op: 'GREATER_THAN_OR_EQUAL', value: { integerValue: '0' } } },
      orderBy: [{ field: { fieldPath: 'n' } }],
      startAt: { values: [{ integerValue: '2' }, at(9)], before: false },
      endAt: { values: [{ integerValue: '3' }, at(17)], before: false },
      limit: 5,
    });
    const got = execute(q, shuffled(items)).map((d) => d.name.split('/').pop());
    expect(got).toEqual(['i16', 'i23', 'i30', 'i37', 'i44']);
  });
});
