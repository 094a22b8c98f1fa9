/** firebase-admin 14 (gRPC) against the engine: documents, queries, listeners, transactions, limits, bad input. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { AggregateField, FieldPath, FieldValue, Filter, GeoPoint, Timestamp, getFirestore, type Firestore, type QuerySnapshot } from 'firebase-admin/firestore';
import { startTarget, type Target } from './support/harness';

const PROJECT = 'demo-parity-admin';
let target: Target;
let app: App;
let db: Firestore;

beforeAll(async () => {
  target = await startTarget();
  process.env.FIRESTORE_EMULATOR_HOST = target.host;
  app = initializeApp({ projectId: PROJECT }, 'parity-admin');
  db = getFirestore(app);
});
afterAll(async () => {
  await deleteApp(app);
  await target.close();
});
beforeEach(async () => {
  await target.clear(PROJECT);
});

describe('documents', () => {
  it('round-trips every value type, defaults included', async () => {
    const ref = db.doc('types/all');
    const data = {
      nul: null,
      t: true,
      f: false,
      zero: 0,
      big: 9007199254740993n,
      dbl: 1.5,
      nan: NaN,
      inf: -Infinity,
      empty: '',
      s: 'ñandú 😀',
      ts: new Timestamp(1_700_000_000, 123_456_000),
      geo: new GeoPoint(-33.45, -70.66),
      bytes: Buffer.from([0, 1, 255]),
      ref: db.doc('x/y'),
      arr: [1, 'a', [], {}],
      map: { nested: { deep: 1 }, emptyMap: {}, emptyArr: [] },
    };
    await ref.set(data);
    const got = (await db.doc('types/all').get()).data();
    // BigInt needs useBigInt; the SDK gives a number, so compare the rest field by field.
    expect(got?.nul).toBeNull();
    expect([got?.t, got?.f, got?.zero, got?.dbl, got?.empty, got?.s]).toEqual([true, false, 0, 1.5, '', 'ñandú 😀']);
    expect(Number.isNaN(got?.nan)).toBe(true);
    expect(got?.inf).toBe(-Infinity);
    expect((got?.ts as Timestamp).isEqual(data.ts)).toBe(true);
    expect((got?.geo as GeoPoint).isEqual(data.geo)).toBe(true);
    expect(Buffer.compare(got?.bytes as Buffer, data.bytes)).toBe(0);
    expect((got?.ref as typeof data.ref).path).toBe('x/y');
    expect(got?.arr).toEqual([1, 'a', [], {}]);
    expect(got?.map).toEqual({ nested: { deep: 1 }, emptyMap: {}, emptyArr: [] });
  });

  it('merges, updates dotted paths, creates only once and deletes', async () => {
    const ref = db.doc('d/1');
    await ref.set({ a: 1, m: { x: 1, y: 2 } });
    await ref.set({ b: 2, m: { y: 3 } }, { merge: true });
    await ref.update('m.x', 10, new FieldPath('weird.key'), 'ok');
    expect((await ref.get()).data()).toEqual({ a: 1, b: 2, m: { x: 10, y: 3 }, 'weird.key': 'ok' });
    await expect(ref.create({ a: 2 })).rejects.toMatchObject({ code: 6 });
    await ref.delete();
    expect((await ref.get()).exists).toBe(false);
    await expect(ref.update({ a: 1 })).rejects.toMatchObject({ code: 5 });
  });

  it('applies transforms', async () => {
    const ref = db.doc('tr/1');
    await ref.set({ n: 1, tags: ['a'], hi: 5 });
    await ref.update({ n: FieldValue.increment(2.5), tags: FieldValue.arrayUnion('b', 'a'), at: FieldValue.serverTimestamp() });
    await ref.update({ tags: FieldValue.arrayRemove('a') });
    const d = (await ref.get()).data();
    expect(d?.n).toBe(3.5);
    expect(d?.tags).toEqual(['b']);
    expect(d?.at).toBeInstanceOf(Timestamp);
  });
});

describe('queries', () => {
  beforeEach(async () => {
    const b = db.batch();
    const rows = [
      { id: 'a', n: 1, city: 'Bogotá', tags: ['x'] },
      { id: 'b', n: 2, city: 'Lima', tags: ['y'] },
      { id: 'c', n: 2.0, city: 'Madrid', tags: ['x', 'y'] },
      { id: 'd', n: 3, city: 'Lima', tags: [] },
      { id: 'e', city: 'Quito', tags: ['z'] },
      { id: 'f', n: null, city: 'Lima' },
    ];
    for (const { id, ...r } of rows) b.set(db.doc(`q/${id}`), r);
    await b.commit();
  });
  const ids = (s: QuerySnapshot) => s.docs.map((d) => d.id);

  it('supports every operator with Firestore semantics', async () => {
    const c = db.collection('q');
    expect(ids(await c.where('n', '==', 2).get())).toEqual(['b', 'c']);
    expect(ids(await c.where('n', '!=', 2).get())).toEqual(['a', 'd']);
    expect(ids(await c.where('n', '<', 3).get())).toEqual(['a', 'b', 'c']);
    expect(ids(await c.where('n', '<=', 2).get())).toEqual(['a', 'b', 'c']);
    expect(ids(await c.where('n', '>', 1).get())).toEqual(['b', 'c', 'd']);
    expect(ids(await c.where('n', '>=', 3).get())).toEqual(['d']);
    expect(ids(await c.where('tags', 'array-contains', 'x').get())).toEqual(['a', 'c']);
    expect(ids(await c.where('tags', 'array-contains-any', ['y', 'z']).get())).toEqual(['b', 'c', 'e']);
    expect(ids(await c.where('city', 'in', ['Lima', 'Quito']).get())).toEqual(['b', 'd', 'e', 'f']);
    expect(ids(await c.where('city', 'not-in', ['Lima', 'Quito']).get())).toEqual(['a', 'c']);
    expect(ids(await c.where('n', '==', null).get())).toEqual(['f']);
    expect(ids(await c.where(Filter.or(Filter.where('n', '==', 1), Filter.where('city', '==', 'Quito'))).get())).toEqual(['a', 'e']);
    expect(ids(await c.where(Filter.and(Filter.where('city', '==', 'Lima'), Filter.where('n', '>', 2))).get())).toEqual(['d']);
  });

  it('orders, limits and pages with cursors', async () => {
    const c = db.collection('q');
    expect(ids(await c.orderBy('n', 'desc').get())).toEqual(['d', 'c', 'b', 'a', 'f']);
    expect(ids(await c.orderBy('city').orderBy('n').limit(3).get())).toEqual(['a', 'f', 'b']);
    expect(ids(await c.orderBy('n').limitToLast(2).get())).toEqual(['c', 'd']);
    expect(ids(await c.orderBy('n').startAfter(1).endAt(2).get())).toEqual(['b', 'c']);
    const snapB = await c.doc('b').get();
    expect(ids(await c.orderBy('n').startAfter(snapB).get())).toEqual(['c', 'd']);
    expect(ids(await c.orderBy('n').endBefore(2).get())).toEqual(['f', 'a']);
  });

  it('runs collection-group queries and aggregations', async () => {
    await db.doc('clinics/c1/doctors/x').set({ s: 'derm', price: 100 });
    await db.doc('clinics/c2/doctors/y').set({ s: 'derm', price: 50 });
    await db.doc('doctors/z').set({ s: 'derm', price: 25 });
    const g = await db.collectionGroup('doctors').where('s', '==', 'derm').get();
    expect(g.size).toBe(3);
    const agg = await db
      .collectionGroup('doctors')
      .aggregate({ n: AggregateField.count(), total: AggregateField.sum('price'), avg: AggregateField.average('price') })
      .get();
    expect(agg.data()).toEqual({ n: 3, total: 175, avg: 175 / 3 });
    const empty = await db.collection('nothing').count().get();
    expect(empty.data().count).toBe(0);
  });
});

describe('listeners', () => {
  it('delivers initial results then exact changes, and refills a limit window', async () => {
    for (let i = 1; i <= 4; i++) await db.doc(`l/${i}`).set({ n: i });
    const seen: string[][] = [];
    let resolve: () => void = () => {};
    let wanted = '';
    const unsub = db
      .collection('l')
      .orderBy('n')
      .limit(2)
      .onSnapshot((s) => {
        seen.push(s.docChanges().map((c) => `${c.type}:${c.doc.id}`));
        if (s.docs.map((d) => d.id).join() === wanted) resolve();
      });
    const until = (ids: string) => new Promise<void>((r) => ((wanted = ids), (resolve = r)));
    await until('1,2');
    const next = until('2,3');
    await db.doc('l/1').delete();
    await next;
    unsub();
    expect(seen[0]).toEqual(['added:1', 'added:2']);
    expect(seen.flat()).toContain('removed:1');
    expect(seen.flat()).toContain('added:3');
  });
});

describe('limits and bad input', () => {
  it('rejects a document over 1 MiB, too-deep maps, 501 writes and invalid paths, keeping data intact', async () => {
    await db.doc('keep/1').set({ ok: true });
    await expect(db.doc('big/1').set({ s: 'x'.repeat(1_048_600) })).rejects.toMatchObject({ code: 3 });
    // The admin SDK refuses deep maps itself, so the engine's own check is driven over REST.
    let deep: unknown = { integerValue: '1' };
    for (let i = 0; i < 25; i++) deep = { mapValue: { fields: { m: deep } } };
    const r0 = await fetch(`http://${target.host}/v1/projects/${PROJECT}/databases/(default)/documents:commit`, {
      method: 'POST',
      headers: { Authorization: 'Bearer owner' },
      body: JSON.stringify({ writes: [{ update: { name: `projects/${PROJECT}/databases/(default)/documents/deep/1`, fields: { m: deep } } }] }),
    });
    expect(r0.status).toBe(400);
    expect(((await r0.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
    const b = db.batch();
    for (let i = 0; i < 501; i++) b.set(db.doc(`many/${i}`), { i });
    await expect(b.commit()).rejects.toMatchObject({ code: 3 });
    expect((await db.collection('many').count().get()).data().count).toBe(0);
    const res = await fetch(`http://${target.host}/v1/projects/${PROJECT}/databases/(default)/documents:commit`, { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
    const r2 = await fetch(`http://${target.host}/v1/projects/${PROJECT}/databases/(default)/documents:commit`, {
      method: 'POST',
      body: JSON.stringify({ writes: [{ update: { name: `projects/${PROJECT}/databases/(default)/documents/a/__x__`, fields: {} } }] }),
    });
    expect(r2.status).toBe(400);
    const r3 = await fetch(`http://${target.host}/v1/projects/${PROJECT}/databases/(default)/documents:bogus`, { method: 'POST', body: '{}' });
    expect(r3.status).toBe(501);
    const r4 = await fetch(`http://${target.host}/google.firestore.v1.Firestore/Listen/channel?VER=8&SID=nope&AID=0&RID=rpc&TYPE=xmlhttp`);
    expect([r4.status, await r4.text()]).toEqual([400, 'Unknown SID']);
    expect((await db.doc('keep/1').get()).data()).toEqual({ ok: true });
  });
});

describe('transactions under contention', () => {
  it('16 concurrent create-if-absent transactions make exactly one document and settle within 5 s', async () => {
    const ref = db.doc('locks/slot');
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        db.runTransaction(async (tx) => {
          const s = await tx.get(ref);
          if (s.exists) return false;
          tx.create(ref, { by: i });
          return true;
        }),
      ),
    );
    const elapsed = Date.now() - started;
    const created = results.filter((r) => r.status === 'fulfilled' && r.value === true).length;
    expect(created).toBe(1);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect((await db.collection('locks').get()).size).toBe(1);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('50 concurrent increments leave the counter equal to the successes', async () => {
    const ref = db.doc('counters/c');
    await ref.set({ v: 0 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        db.runTransaction(async (tx) => {
          const s = await tx.get(ref);
          tx.update(ref, { v: (s.get('v') as number) + 1 });
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect((await ref.get()).get('v')).toBe(ok);
    // With pessimistic locks every transaction queues instead of failing.
    expect(ok).toBe(50);
  });
});
