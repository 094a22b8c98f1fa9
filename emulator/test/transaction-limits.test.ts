/**
 * Transactions cannot be used to hold other people up: the rules judge a read before it takes a lock and a commit
 * before it takes a lock it does not hold yet, reads share their locks, and a transaction ends at Firestore's limits
 * (idle, lifetime), answering what Firestore answers. The
 * hostile caller speaks raw REST (the SDKs would not send a denied read inside a transaction); the people it would
 * block use firebase-admin and the web SDK in Node. Our engine is started with small limits, so this file does not
 * run against another emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp, type App } from 'firebase-admin/app';
import { getFirestore as getAdminFirestore, type Firestore as AdminFirestore } from 'firebase-admin/firestore';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectFirestoreEmulator, doc, getDoc, getFirestore, setDoc, terminate, type Firestore } from 'firebase/firestore';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/server';
import { unsignedToken } from './support/raw-grpc';

const PROJECT = 'demo-txn-limits';
const DB = `projects/${PROJECT}/databases/(default)`;
const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /profiles/{uid} {
      allow read, write: if request.auth != null && request.auth.uid == uid;
    }
    match /slots/{id} {
      allow read, write: if request.auth != null;
    }
    match /polls/{id} {
      allow read: if request.auth != null;
      allow update: if request.auth != null && resource.data.open == true;
    }
  }
}
`;

interface Running {
  emu: RunningEmulator;
  admin: AdminFirestore;
  alice: Firestore;
  /** A raw REST call as mallory: the status and the parsed body. */
  mallory(method: 'beginTransaction' | 'batchGet' | 'commit' | 'rollback', body: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

async function start(name: string, options: EmulatorOptions): Promise<Running> {
  const emu = await startEmulator({ port: 0, ...options });
  const put = await fetch(`http://${emu.address}/emulator/v1/projects/${PROJECT}:securityRules`, { method: 'PUT', body: JSON.stringify({ rules: { files: [{ content: RULES }] } }) });
  if (!put.ok) throw new Error(`loading rules failed: ${put.status} ${await put.text()}`);
  process.env.FIRESTORE_EMULATOR_HOST = emu.address;
  const adminApp: App = initializeAdminApp({ projectId: PROJECT }, `${name}-admin`);
  const webApp: FirebaseApp = initializeApp({ projectId: PROJECT, apiKey: 'demo-key' }, `${name}-alice`);
  const alice = getFirestore(webApp);
  connectFirestoreEmulator(alice, emu.host, emu.port, { mockUserToken: { sub: 'alice' } });
  const token = unsignedToken('mallory', PROJECT);
  return {
    emu,
    admin: getAdminFirestore(adminApp),
    alice,
    async mallory(method, body) {
      const r = await fetch(`http://${emu.address}/v1/${DB}/documents:${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    async close() {
      await terminate(alice);
      await deleteApp(webApp);
      await deleteAdminApp(adminApp);
      await emu.close();
    },
  };
}

async function begin(r: Running): Promise<string> {
  const t = await r.mallory('beginTransaction', { options: { readWrite: {} } });
  const id = (t.body as { transaction?: string }).transaction;
  if (t.status !== 200 || !id) throw new Error(`beginTransaction answered ${t.status}`);
  return id;
}

const PARITY = !!process.env.PARITY_FIRESTORE_HOST;

// Default limits and a lock wait far longer than each test may take: a lock wrongly held shows as a timeout.
describe.skipIf(PARITY)('rules before locks, shared read locks', () => {
  let r: Running;
  beforeAll(async () => {
    r = await start('txn-locks', { lockWaitMs: 120_000 });
  });
  afterAll(async () => r.close());

  it("a read the rules refuse inside a transaction does not hold up the owner's write", { timeout: 20_000 }, async () => {
    const tx = await begin(r);
    const denied = await r.mallory('batchGet', { documents: [`${DB}/documents/profiles/alice`], transaction: tx });
    expect(denied.status).toBe(403);
    // Alice's write goes through while mallory's transaction is still open.
    await setDoc(doc(r.alice, 'profiles/alice'), { name: 'Alice' });
    expect((await getDoc(doc(r.alice, 'profiles/alice'))).data()).toEqual({ name: 'Alice' });
    expect((await r.mallory('rollback', { transaction: tx })).status).toBe(200);
  });

  it("a denied commit of several documents takes no lock, even one that would wait, and frees the transaction's reads", { timeout: 20_000 }, async () => {
    const update = (path: string, by: string) => ({ update: { name: `${DB}/documents/${path}`, fields: { by: { stringValue: by } } } });
    // An older transaction holds slots/held with an allowed read and stays open until the end of the test.
    const holder = await begin(r);
    expect((await r.mallory('batchGet', { documents: [`${DB}/documents/slots/held`], transaction: holder })).status).toBe(200);
    // A younger one reads slots/mine, then commits alice's profile (refused) with slots/held (allowed, but the lock
    // it needs is the holder's): taking locks first, it would hold alice's profile while it waited for slots/held.
    const tx = await begin(r);
    expect((await r.mallory('batchGet', { documents: [`${DB}/documents/slots/mine`], transaction: tx })).status).toBe(200);
    const commit = r.mallory('commit', { transaction: tx, writes: [update('profiles/alice', 'mallory'), update('slots/held', 'mallory')] });
    const aliceWrites = Promise.all([setDoc(doc(r.alice, 'profiles/alice'), { by: 'alice' }), setDoc(doc(r.alice, 'slots/mine'), { by: 'alice' })]);
    const [refused] = await Promise.all([commit, aliceWrites]);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
    // All of it while the holder is still open; then the holder's lock goes, and nothing of mallory's was written.
    expect((await r.mallory('rollback', { transaction: holder })).status).toBe(200);
    expect((await getDoc(doc(r.alice, 'profiles/alice'))).data()).toEqual({ by: 'alice' });
    expect((await getDoc(doc(r.alice, 'slots/mine'))).data()).toEqual({ by: 'alice' });
    expect((await r.admin.doc('slots/held').get()).exists).toBe(false);
  });

  it('a write judged before it waited for a lock is judged again when what the rules saw changed meanwhile', { timeout: 20_000 }, async () => {
    const poll = `${DB}/documents/polls/p`;
    await r.admin.doc('polls/p').set({ open: true, votes: 0 });
    const holder = await begin(r);
    expect((await r.mallory('batchGet', { documents: [poll], transaction: holder })).status).toBe(200);
    let judged: () => void = () => {};
    const judgedOpen = new Promise<void>((resolve) => (judged = resolve));
    const stop = r.emu.rules.observe((e) => {
      if (e.method === 'update' && e.path === '/databases/(default)/documents/polls/p' && e.allowed) judged();
    });
    try {
      // Mallory's vote is allowed while the poll is open, then waits for the holder's read lock...
      const vote = r.mallory('commit', { writes: [{ update: { name: poll, fields: { open: { booleanValue: true }, votes: { integerValue: '1' } } } }] });
      await judgedOpen;
      // ...which closes the poll before it lets go: the vote must be judged against the closed poll.
      const close = await r.mallory('commit', { transaction: holder, writes: [{ update: { name: poll, fields: { open: { booleanValue: false }, votes: { integerValue: '0' } } } }] });
      expect(close.status).toBe(200);
      const refused = await vote;
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
    } finally {
      stop();
    }
    expect((await r.admin.doc('polls/p').get()).data()).toEqual({ open: false, votes: 0 });
  });

  it('two transactions read one document at the same time', { timeout: 20_000 }, async () => {
    const ref = r.admin.doc('slots/shared');
    await ref.set({ n: 1 });
    let arrived = 0;
    let bothRead: () => void = () => {};
    const both = new Promise<void>((resolve) => (bothRead = resolve));
    // Each reader finishes only once the other has read too: with exclusive read locks neither could.
    const reader = () =>
      r.admin.runTransaction(async (tx) => {
        const s = await tx.get(ref);
        if (++arrived === 2) bothRead();
        await both;
        return s.get('n') as number;
      });
    expect(await Promise.all([reader(), reader()])).toEqual([1, 1]);
  });
});

describe.skipIf(PARITY)('transaction limits', () => {
  let r: Running;
  beforeAll(async () => {
    r = await start('txn-limits', { lockWaitMs: 120_000, transactionIdleMs: 300, transactionLifetimeMs: 2_000 });
  });
  afterAll(async () => r.close());

  it('an abandoned transaction stops blocking after the idle limit, and hears that it expired', { timeout: 20_000 }, async () => {
    const tx = await begin(r);
    const read = await r.mallory('batchGet', { documents: [`${DB}/documents/slots/a`], transaction: tx });
    expect(read.status).toBe(200);
    // Mallory walks away holding the read lock; alice's write waits only until the idle limit ends that transaction.
    await setDoc(doc(r.alice, 'slots/a'), { by: 'alice' });
    const late = await r.mallory('commit', { transaction: tx, writes: [{ update: { name: `${DB}/documents/slots/a`, fields: { by: { stringValue: 'mallory' } } } }] });
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ error: { status: 'INVALID_ARGUMENT', message: expect.stringMatching(/transaction has expired/) as unknown } });
    expect((await getDoc(doc(r.alice, 'slots/a'))).data()).toEqual({ by: 'alice' });
  });

  it('an active transaction past its lifetime is ended', { timeout: 20_000 }, async () => {
    const ref = r.admin.doc('slots/b');
    let reads = 0;
    let locked: () => void = () => {};
    const holdsB = new Promise<void>((resolve) => (locked = resolve));
    // Reads every 100 ms (never idle) while holding slots/b, for longer than the 2 s lifetime.
    const holding = r.admin.runTransaction(
      async (tx) => {
        await tx.get(ref);
        locked();
        for (;;) {
          await tx.get(r.admin.doc(`slots/other`));
          reads++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      { maxAttempts: 1 },
    );
    const outcome = holding.then(
      () => 'committed',
      (e: unknown) => e,
    );
    await holdsB;
    // Alice's write waits for the transaction's lock until its lifetime is up, however busy it keeps itself.
    await setDoc(doc(r.alice, 'slots/b'), { by: 'alice' });
    const readsWhileAliceWaited = reads;
    expect(await outcome).toMatchObject({ code: 3, message: expect.stringMatching(/transaction has expired/) as unknown });
    expect(readsWhileAliceWaited).toBeGreaterThan(3);
    expect((await getDoc(doc(r.alice, 'slots/b'))).data()).toEqual({ by: 'alice' });
  });
});
