/**
 * The unmodified firebase@12 web SDK in Chromium against the engine: WebChannel Listen/Write streams and REST calls.
 */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Firestore as WebFirestore } from 'firebase/firestore';
import { initializeApp, deleteApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { launchBrowser, type Browser } from '../support/browser';
import { servePage, type PageServer } from '../support/page-server';
import { startTarget, type Target } from '../support/harness';

const PROJECT = 'demo-parity-browser';
let target: Target;
let browser: Browser;
let pageServer: PageServer;
let admin: App;
let adminDb: Firestore;

/** Opens a page with the SDK initialised against the engine. */
const openPages: Page[] = [];
async function openClient(longPolling = false, on: Target = target): Promise<Page> {
  const page = await browser.newPage();
  openPages.push(page);
  await page.goto(pageServer.url);
  await page.waitForFunction(() => window.ready === true);
  await page.evaluate(
    ([host, port, project, lp]) => {
      const { app, firestore } = window.sdk;
      const a = app.initializeApp({ projectId: project, apiKey: 'fake-api-key' }, `app-${Math.random()}`);
      const db = firestore.initializeFirestore(a, lp ? { experimentalForceLongPolling: true } : {});
      firestore.connectFirestoreEmulator(db, host, port);
      (window as unknown as { db: unknown }).db = db;
    },
    [on.hostname, on.port, PROJECT, longPolling] as const,
  );
  return page;
}

declare global {
  interface Window {
    db: WebFirestore;
    events: unknown[];
  }
}

beforeAll(async () => {
  target = await startTarget({ projectId: PROJECT });
  process.env.FIRESTORE_EMULATOR_HOST = target.host;
  admin = initializeApp({ projectId: PROJECT }, 'browser-admin');
  adminDb = getFirestore(admin);
  pageServer = await servePage(path.join(import.meta.dirname, 'page.ts'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await deleteApp(admin);
  await target?.close();
});

beforeEach(async () => {
  await target.clear(PROJECT);
});

// Each page holds hanging backchannels; Chromium allows 6 connections per host, so pages are closed after each test.
afterEach(async () => {
  for (const p of openPages.splice(0)) await p.close();
});

describe('web SDK documents', () => {
  it('writes, reads back and updates a document with every common type', async () => {
    const page = await openClient();
    const got = await page.evaluate(async () => {
      const { doc, setDoc, getDoc, updateDoc, Timestamp, GeoPoint, increment, serverTimestamp, arrayUnion } = window.sdk.firestore;
      const ref = doc(window.db, 'rooms/r1');
      await setDoc(ref, { n: 1, s: 'héllo wörld ✓ 😀', t: Timestamp.fromMillis(1_700_000_000_123), g: new GeoPoint(4.6, -74.08), tags: ['a'], m: { z: 0, f: false, e: '' } });
      await updateDoc(ref, { n: increment(5), at: serverTimestamp(), tags: arrayUnion('b', 'a'), 'm.z': 2 });
      const snap = await getDoc(ref);
      const d = snap.data() ?? {};
      return { n: d.n, s: d.s, t: (d.t as InstanceType<typeof Timestamp>).toMillis(), lat: (d.g as InstanceType<typeof GeoPoint>).latitude, tags: d.tags, m: d.m, hasAt: d.at instanceof Timestamp, fromCache: snap.metadata.fromCache };
    });
    expect(got).toEqual({ n: 6, s: 'héllo wörld ✓ 😀', t: 1_700_000_000_123, lat: 4.6, tags: ['a', 'b'], m: { z: 2, f: false, e: '' }, hasAt: true, fromCache: false });
    const server = (await adminDb.doc('rooms/r1').get()).data();
    expect(server?.n).toBe(6);
  });

  it('rejects updateDoc on a missing document with not-found and keeps working', async () => {
    const page = await openClient();
    const r = await page.evaluate(async () => {
      const { doc, updateDoc, setDoc, getDoc } = window.sdk.firestore;
      let code = '';
      try {
        await updateDoc(doc(window.db, 'rooms/missing'), { a: 1 });
      } catch (e) {
        code = (e as { code: string }).code;
      }
      await setDoc(doc(window.db, 'rooms/after'), { ok: true });
      return { code, after: (await getDoc(doc(window.db, 'rooms/after'))).data() };
    });
    expect(r).toEqual({ code: 'not-found', after: { ok: true } });
  });
});

describe('web SDK listeners', () => {
  it('delivers the initial result, then exact added/modified/removed changes, including writes by another client', async () => {
    await adminDb.doc('live/a').set({ n: 1 });
    const page = await openClient();
    await page.evaluate(() => {
      const { collection, query, where, orderBy, onSnapshot } = window.sdk.firestore;
      window.events = [];
      onSnapshot(query(collection(window.db, 'live'), where('n', '>=', 1), orderBy('n')), { includeMetadataChanges: true }, (s) => {
        window.events.push({ ids: s.docs.map((d) => d.id), changes: s.docChanges().map((c) => `${c.type}:${c.doc.id}`), pending: s.metadata.hasPendingWrites, cache: s.metadata.fromCache });
      });
    });
    await page.waitForFunction(() => window.events.some((e) => !(e as { cache: boolean }).cache));
    await adminDb.doc('live/b').set({ n: 2 });
    await page.waitForFunction(() => window.events.some((e) => (e as { ids: string[] }).ids.length === 2));
    await page.evaluate(async () => {
      const { doc, setDoc } = window.sdk.firestore;
      await setDoc(doc(window.db, 'live/a'), { n: 3 });
    });
    await adminDb.doc('live/b').update({ n: 0 });
    await page.waitForFunction(() => {
      const last = window.events[window.events.length - 1] as { ids: string[]; pending: boolean };
      return last.ids.join() === 'a' && !last.pending;
    });
    const events = (await page.evaluate(() => window.events)) as { ids: string[]; changes: string[]; pending: boolean; cache: boolean }[];
    const changes = events.flatMap((e) => e.changes);
    expect(changes).toContain('added:a');
    expect(changes).toContain('added:b');
    expect(changes).toContain('modified:a');
    expect(changes).toContain('removed:b');
    // The local write is seen first as pending, then confirmed by the server.
    expect(events.some((e) => e.pending && e.ids.includes('a'))).toBe(true);
    expect(events[events.length - 1]).toMatchObject({ ids: ['a'], pending: false, cache: false });
  });

  it('keeps a limit window right and works in two tabs, one of them long-polling', async () => {
    for (let i = 1; i <= 5; i++) await adminDb.doc(`win/d${i}`).set({ n: i });
    const a = await openClient(false);
    const b = await openClient(true);
    for (const page of [a, b]) {
      await page.evaluate(() => {
        const { collection, query, orderBy, limit, onSnapshot } = window.sdk.firestore;
        window.events = [];
        onSnapshot(query(collection(window.db, 'win'), orderBy('n', 'desc'), limit(3)), (s) => window.events.push(s.docs.map((d) => d.id)));
      });
      await page.waitForFunction(() => window.events.length > 0);
    }
    await a.evaluate(async () => {
      const { doc, deleteDoc } = window.sdk.firestore;
      await deleteDoc(doc(window.db, 'win/d5'));
    });
    for (const page of [a, b]) {
      await page.waitForFunction(() => (window.events[window.events.length - 1] as string[]).join() === 'd4,d3,d2');
    }
    await b.evaluate(async () => {
      const { doc, setDoc } = window.sdk.firestore;
      await setDoc(doc(window.db, 'win/d9'), { n: 9 });
    });
    await a.waitForFunction(() => (window.events[window.events.length - 1] as string[]).join() === 'd9,d4,d3');
    expect(browser.errors).toEqual([]);
  });
});

describe('web SDK transactions, batches and aggregations', () => {
  it('runs 5 concurrent contended transactions without a lost update', async () => {
    const page = await openClient();
    const value = await page.evaluate(async () => {
      const { doc, setDoc, runTransaction, getDoc } = window.sdk.firestore;
      const ref = doc(window.db, 'tx/counter');
      await setDoc(ref, { v: 0 });
      await Promise.all(
        Array.from({ length: 5 }, () =>
          runTransaction(window.db, async (tx) => {
            const s = await tx.get(ref);
            tx.update(ref, { v: (s.data()?.v as number) + 1 });
          }),
        ),
      );
      return (await getDoc(ref)).data()?.v;
    });
    expect(value).toBe(5);
  });

  it('commits a batch atomically and aggregates count/sum/average on the server', async () => {
    const page = await openClient();
    const r = await page.evaluate(async () => {
      const { doc, writeBatch, collection, getCountFromServer, getAggregateFromServer, sum, average, query, where, or } = window.sdk.firestore;
      const batch = writeBatch(window.db);
      for (let i = 1; i <= 4; i++) batch.set(doc(window.db, `agg/${i}`), { n: i, kind: i % 2 ? 'odd' : 'even' });
      await batch.commit();
      const c = await getCountFromServer(collection(window.db, 'agg'));
      const a = await getAggregateFromServer(collection(window.db, 'agg'), { total: sum('n'), avg: average('n') });
      const o = await getCountFromServer(query(collection(window.db, 'agg'), or(where('n', '==', 1), where('kind', '==', 'even'))));
      return { count: c.data().count, total: a.data().total, avg: a.data().avg, orCount: o.data().count };
    });
    expect(r).toEqual({ count: 4, total: 10, avg: 2.5, orCount: 3 });
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof a === 'object' && a ? a.port : 0;
}

describe('Firestore Lite (REST only)', () => {
  it('reads and queries through runQuery and writes through commit', async () => {
    await adminDb.doc('lite/a').set({ n: 1, city: 'Lima' });
    await adminDb.doc('lite/b').set({ n: 2, city: 'Quito' });
    const page = await openClient();
    const r = await page.evaluate(
      async ([host, port, project]) => {
        const { app, lite } = window.sdk;
        const a = app.initializeApp({ projectId: project, apiKey: 'fake-api-key' }, 'lite-app');
        const db = lite.getFirestore(a);
        lite.connectFirestoreEmulator(db, host, port);
        await lite.setDoc(lite.doc(db, 'lite/c'), { n: 3, city: 'Lima' });
        const q = await lite.getDocs(lite.query(lite.collection(db, 'lite'), lite.where('city', '==', 'Lima'), lite.orderBy('n', 'desc')));
        const none = await lite.getDocs(lite.query(lite.collection(db, 'lite'), lite.where('city', '==', 'Cusco')));
        const one = await lite.getDoc(lite.doc(db, 'lite/b'));
        return { ids: q.docs.map((d) => d.id), empty: none.empty, b: one.data() };
      },
      [target.hostname, target.port, PROJECT] as const,
    );
    expect(r).toEqual({ ids: ['c', 'a'], empty: true, b: { n: 2, city: 'Quito' } });
  });
});

describe('web SDK resilience', () => {
  // Restarting the server needs our engine: against an external emulator this one is skipped, visibly.
  it.skipIf(!!process.env.PARITY_FIRESTORE_HOST)('converges after the engine restarts, including deletions made while it was away', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'resume-'));
    const port = await freePort();
    let t = await startTarget({ dataDir, port, projectId: PROJECT });
    const rest = async (method: string, doc: string, body?: unknown) => {
      const r = await fetch(`http://${t.host}/v1/projects/${PROJECT}/databases/(default)/documents/${doc}`, {
        method,
        headers: { Authorization: 'Bearer owner' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(r.ok).toBe(true);
    };
    await rest('PATCH', 'resume/x', { fields: { n: { integerValue: '1' } } });
    const page = await openClient(false, t);
    await page.evaluate(() => {
      const { collection, onSnapshot } = window.sdk.firestore;
      window.events = [];
      onSnapshot(collection(window.db, 'resume'), (s) => window.events.push(s.docs.map((d) => d.id).sort().join()));
    });
    await page.waitForFunction(() => window.events.includes('x'));
    await t.close();
    t = await startTarget({ dataDir, port, projectId: PROJECT });
    await rest('DELETE', 'resume/x');
    await rest('PATCH', 'resume/y', { fields: { n: { integerValue: '2' } } });
    await page.waitForFunction(() => window.events[window.events.length - 1] === 'y', undefined, { timeout: 30_000 });
    await t.close();
  });
});
