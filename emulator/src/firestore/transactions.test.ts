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
    // The older transaction asks for the lock the younger one holds: the younger is wounded.
    await e.batchGet(admin, DB, { documents: [name('x')], transaction: older });
    const parallel = await Promise.all([1, 2, 3].map(() => codeOf(e.batchGet(admin, DB, { documents: [name('y')], transaction: younger }))));
    expect(parallel).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
    expect(await codeOf(e.commit(admin, DB, { transaction: younger, writes: [] }))).toBe('ABORTED');
    expect(await codeOf(e.rollback(admin, DB, younger))).toBe('ok');
    // An id the engine never issued is still a client error.
    expect(await codeOf(e.rollback(admin, DB, 'bm90LWEtdHhu'))).toBe('INVALID_ARGUMENT');
    await e.rollback(admin, DB, older);
  });

  it('a retry begun by a first read keeps the age of the wounded attempt, and so wins over a younger holder', async () => {
    engine = await createEngine({ lockWaitMs: 2000 });
    const e = engine;
    const oldest = (await e.beginTransaction(admin, DB, { readWrite: {} })).transaction;
    const first = await firstRead(e, 'a');
    // The oldest wounds `first`, which learns it on its next request and is rolled back by the SDK.
    await e.batchGet(admin, DB, { documents: [name('a')], transaction: oldest });
    expect(await codeOf(e.batchGet(admin, DB, { documents: [name('z')], transaction: first }))).toBe('ABORTED');
    await e.rollback(admin, DB, first);
    // A transaction that begins after `first` takes b.
    const later = await firstRead(e, 'b');
    // The retry of `first` is older than `later` only if it kept its age: then it wounds `later` for b.
    const retry = await firstRead(e, 'c', first);
    expect(await codeOf(e.batchGet(admin, DB, { documents: [name('b')], transaction: retry }))).toBe('ok');
    expect(await codeOf(e.batchGet(admin, DB, { documents: [name('d')], transaction: later }))).toBe('ABORTED');
    await e.rollback(admin, DB, retry);
    await e.rollback(admin, DB, oldest);
  });
});
