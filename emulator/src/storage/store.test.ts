import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectStore } from './store';

const B = 'bkt';
const bytes = (s: string) => Buffer.from(s);
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'storage-store-'));

describe('ObjectStore', () => {
  it('computes metadata on upload and replaces all of it on overwrite, with a newer generation', () => {
    const s = new ObjectStore();
    const a = s.put(B, 'x/a.txt', bytes('hello'), { contentType: 'text/plain', cacheControl: 'no-store', metadata: { k: 'v', firebaseStorageDownloadTokens: 't1,t2' } });
    expect(a.previous).toBeNull();
    expect(a.meta).toMatchObject({ size: 5, contentType: 'text/plain', cacheControl: 'no-store', metageneration: 1, metadata: { k: 'v' }, downloadTokens: ['t1', 't2'] });
    expect(a.meta.md5Hash).toBe('XUFAKrxLKna5cZ2REBfFkg==');
    const b = s.put(B, 'x/a.txt', bytes('bye'), {});
    expect(b.previous?.generation).toBe(a.meta.generation);
    expect(b.meta.generation).toBeGreaterThan(a.meta.generation);
    expect(b.meta).toMatchObject({ contentType: 'application/octet-stream', metadata: {}, downloadTokens: [] });
    expect(b.meta.cacheControl).toBeUndefined();
    expect(s.read(B, 'x/a.txt')?.bytes.toString()).toBe('bye');
  });

  it('patches: absent keeps, null deletes, custom metadata merges, tokens are replaced', () => {
    const s = new ObjectStore();
    s.put(B, 'o', bytes('1'), { contentType: 'text/plain', contentLanguage: 'es', metadata: { a: '1', b: '2', firebaseStorageDownloadTokens: 'old' } });
    const p = s.patch(B, 'o', { contentLanguage: null, metadata: { a: null, c: '3', firebaseStorageDownloadTokens: 'new' } });
    expect(p).toMatchObject({ contentType: 'text/plain', metageneration: 2, metadata: { b: '2', c: '3' }, downloadTokens: ['new'] });
    expect(p?.contentLanguage).toBeUndefined();
    expect(s.patch(B, 'o', { metadata: null })?.metadata).toEqual({});
    expect(s.patch(B, 'missing', {})).toBeNull();
  });

  it('lists with a delimiter and pages over items and prefixes in one name order', () => {
    const s = new ObjectStore();
    for (const n of ['u/a', 'u/b/1', 'u/b/2', 'u/c', 'u/d/1', 'u/e', 'v/x', 'u/']) s.put(B, n, bytes(n), {});
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = s.list(B, { prefix: 'u/', delimiter: '/', maxResults: 2, ...(pageToken ? { pageToken } : {}) });
      seen.push(...page.items.map((i) => i.name), ...page.prefixes);
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    // The object named exactly like the prefix (a "folder placeholder") is an item, as in GCS.
    expect(seen.sort()).toEqual(['u/', 'u/a', 'u/b/', 'u/c', 'u/d/', 'u/e']);
    expect(pages).toBe(3);
    // Without a delimiter everything under the prefix is an item; "u/" itself too.
    expect(s.list(B, { prefix: 'u/' }).items.map((i) => i.name)).toEqual(['u/', 'u/a', 'u/b/1', 'u/b/2', 'u/c', 'u/d/1', 'u/e']);
    expect(s.list('other').items).toEqual([]);
  });

  it('survives a restart, and a crash between blob and index leaves no stray blob', () => {
    const dir = tmp();
    const a = new ObjectStore(dir);
    const { meta } = a.put(B, 'keep', bytes('kept'), { metadata: { k: 'v' } });
    a.put(B, 'gone', bytes('x'), {});
    a.delete(B, 'gone');
    // A blob written by a run that died before saving its index entry.
    writeFileSync(path.join(dir, 'storage', 'blobs', 'orphan'), 'x');
    const b = new ObjectStore(dir);
    expect(b.get(B, 'keep')).toEqual(meta);
    expect(b.read(B, 'keep')?.bytes.toString()).toBe('kept');
    expect(b.get(B, 'gone')).toBeNull();
    expect(readdirSync(path.join(dir, 'storage', 'blobs'))).toHaveLength(1);
    // Generations keep growing after a restart.
    expect(b.put(B, 'keep', bytes('2'), {}).meta.generation).toBeGreaterThan(meta.generation);
    // Clearing one bucket keeps the others, on disk too.
    b.put('other-bucket', 'stays', bytes('s'), {});
    expect(b.clearBuckets((name) => name === B)).toEqual({ buckets: [B], objects: 1 });
    const c = new ObjectStore(dir);
    expect([c.size(), c.read('other-bucket', 'stays')?.bytes.toString()]).toEqual([1, 's']);
    c.clearBuckets(() => true);
    expect(new ObjectStore(dir).size()).toBe(0);
    expect(readdirSync(path.join(dir, 'storage', 'blobs'))).toHaveLength(0);
  });
});
