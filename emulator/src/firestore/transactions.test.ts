/**
 * Read-write transactions under contention, as the SDKs drive them: a wounded attempt answers ABORTED to every
 * request that still names it (the SDKs retry ABORTED, never INVALID_ARGUMENT), its rollback succeeds, and the retry —
 * started by beginTransaction or by a first read's newTransaction — keeps the wounded attempt's age.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from './engine';
import { Code, FirestoreError, type Engine } from './types';

const DB = 'projects/demo-txn/databases/(default)';
const name = (id: string) => `${DB}/documents/items/${id}`;
const admin = { admin: true, auth: null };
let engine: (Engine & { close(): Promise<void> }) | undefined;
afterEach(async () => engine?.close());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!(e instanceof FirestoreError)) return String(e);
    return e.code === Code.ABORTED ? 'ABORTED' : e.code === Code.INVALID_ARGUMENT ? 'INVALID_ARGUMENT' : `code ${e.code}`;
  }
}

/** Begins a read-write transaction by its first read, as the web and admin SDKs do. */
async function firstRead(e: Engine, doc: string, retryOf?: string): Promise<string> {
  const rows = await e.batchGet(admin, DB, { documents: [name(doc)], newTransaction: { readWrite: retryOf ? { retryTransaction: retryOf } : {} } });
  const id = rows.find((r) => r.transaction)?.transaction;
  if (!id) throw new Error('no transaction id');
  return id;
}

describe('transactions under contention', () => {
  it('a wounded attempt answers ABORTED to every parallel request and its rollback succeeds', async () => {
    engine = await createEngine({ lockWaitMs: 2000 });
    const e = engine;
    const older = (await e.beginTransaction(admin, DB, { readWrite: {} })).transaction;
    const younger = await firstRead(e, 'x');
    // The older transaction writes x, whose (shared) read lock the younger one holds: the younger is wounded.
    await e.commit(admin, DB, { transaction: older, writes: [{ update: { name: name('x'), fields: {} } }] });
    const parallel = await Promise.all([1, 2, 3].map(() => codeOf(e.batchGet(admin, DB, { documents: [name('y')], transaction: younger }))));
    expect(parallel).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
    expect(await codeOf(e.commit(admin, DB, { transaction: younger, writes: [] }))).toBe('ABORTED');
    expect(await codeOf(e.rollback(admin, DB, younger))).toBe('ok');
    // An id the engine never issued is still a client error.
    expect(await codeOf(e.rollback(admin, DB, 'bm90LWEtdHhu'))).toBe('INVALID_ARGUMENT');
  });

  it('a retry begun by a first read keeps the age of the wounded attempt, and so wins over a younger holder', async () => {
    engine = await createEngine({ lockWaitMs: 2000 });
    const e = engine;
    const oldest = (await e.beginTransaction(admin, DB, { readWrite: {} })).transaction;
    const first = await firstRead(e, 'a');
    // The oldest writes a and so wounds `first`, which learns it on its next request and is rolled back by the SDK.
    await e.commit(admin, DB, { transaction: oldest, writes: [{ update: { name: name('a'), fields: {} } }] });
    expect(await codeOf(e.batchGet(admin, DB, { documents: [name('z')], transaction: first }))).toBe('ABORTED');
    await e.rollback(admin, DB, first);
    // A transaction that begins after `first` reads b.
    const later = await firstRead(e, 'b');
    // The retry of `first` is older than `later` only if it kept its age: then writing b wounds `later`.
    const retry = await firstRead(e, 'c', first);
    expect(await codeOf(e.commit(admin, DB, { transaction: retry, writes: [{ update: { name: name('b'), fields: {} } }] }))).toBe('ok');
    expect(await codeOf(e.batchGet(admin, DB, { documents: [name('d')], transaction: later }))).toBe('ABORTED');
  });
});

describe('shared read locks', () => {
  it('lets two transactions read one document at once, and a write waits for both readers', async () => {
    engine = await createEngine({ lockWaitMs: 30_000 });
    const e = engine;
    const a = await firstRead(e, 'x');
    // With exclusive read locks this read would wait for `a` until the lock timeout.
    const b = await firstRead(e, 'x');
    const order: string[] = [];
    const write = e.commit(admin, DB, { writes: [{ update: { name: name('x'), fields: {} } }] }).then(() => order.push('write'));
    // A reader that comes after the waiting writer queues behind it, so readers cannot starve a writer.
    const late = firstRead(e, 'x').then((id) => (order.push('late read'), id));
    await e.commit(admin, DB, { transaction: a, writes: [] }).then(() => order.push('a done'));
    await e.commit(admin, DB, { transaction: b, writes: [] }).then(() => order.push('b done'));
    await write;
    await e.rollback(admin, DB, await late);
    expect(order).toEqual(['a done', 'b done', 'write', 'late read']);
  });

  it('a retry of an attempt contention aborted locks what that attempt read exclusively', async () => {
    engine = await createEngine({ lockWaitMs: 30_000 });
    const e = engine;
    const first = await firstRead(e, 'x');
    const writer = (await e.beginTransaction(admin, DB, { readWrite: {} })).transaction;
    await e.batchGet(admin, DB, { documents: [name('x')], transaction: writer });
    // `first` is older: its write wounds the younger reader.
    await e.commit(admin, DB, { transaction: first, writes: [{ update: { name: name('x'), fields: {} } }] });
    expect(await codeOf(e.commit(admin, DB, { transaction: writer, writes: [] }))).toBe('ABORTED');
    const retry = await firstRead(e, 'x', writer);
    // Another reader now waits for the retry's exclusive lock instead of sharing it.
    const order: string[] = [];
    const other = firstRead(e, 'x').then((id) => (order.push('other read'), id));
    await e.commit(admin, DB, { transaction: retry, writes: [{ update: { name: name('x'), fields: {} } }] }).then(() => order.push('retry done'));
    await e.rollback(admin, DB, await other);
    expect(order).toEqual(['retry done', 'other read']);
  });
});

describe('transaction limits', () => {
  it('a transaction idle past the limit is ended: its lock goes and its next request hears it expired', async () => {
    engine = await createEngine({ lockWaitMs: 30_000, transactionIdleMs: 100, transactionLifetimeMs: 60_000 });
    const e = engine;
    const abandoned = await firstRead(e, 'x');
    const t = (await e.beginTransaction(admin, DB, { readWrite: {} })).transaction;
    // A younger transaction's write waits for the abandoned one until the sweep ends it.
    await e.batchGet(admin, DB, { documents: [name('y')], transaction: t });
    expect(await codeOf(e.commit(admin, DB, { transaction: t, writes: [{ update: { name: name('x'), fields: {} } }] }))).toBe('ok');
    const late = e.batchGet(admin, DB, { documents: [name('x')], transaction: abandoned });
    await expect(late).rejects.toThrow(/transaction has expired/);
  });

  it('a transaction past its lifetime is ended even while it keeps reading', async () => {
    engine = await createEngine({ lockWaitMs: 30_000, transactionIdleMs: 60_000, transactionLifetimeMs: 300 });
    const e = engine;
    const busy = await firstRead(e, 'x');
    let reads = 0;
    const reading = (async () => {
      for (;;) {
        await e.batchGet(admin, DB, { documents: [name('y')], transaction: busy });
        reads++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // The blind write waits for the busy transaction's lock on x until its lifetime is up.
    await e.commit(admin, DB, { writes: [{ update: { name: name('x'), fields: {} } }] });
    await expect(reading).rejects.toThrow(/transaction has expired/);
    expect(reads).toBeGreaterThan(0);
  });
});

describe('rules before locks', () => {
  it('a read the rules refuse takes no lock, and a transaction created by it does not survive', async () => {
    engine = await createEngine({ lockWaitMs: 30_000 });
    const e = engine;
    e.setAuthorizer({
      async authorizeGet() {
        throw new FirestoreError(Code.PERMISSION_DENIED, 'no');
      },
      async authorizeList() {},
      async authorizeWrites() {},
    });
    const user = { admin: false, auth: { uid: 'mallory', token: {} } };
    const t = (await e.beginTransaction(user, DB, { readWrite: {} })).transaction;
    expect(await codeOf(e.batchGet(user, DB, { documents: [name('x')], transaction: t }))).toBe('code 7');
    // Were x locked, this write would wait for the lock timeout.
    await e.commit(admin, DB, { writes: [{ update: { name: name('x'), fields: {} } }] });
    await e.rollback(user, DB, t);
  });
});
