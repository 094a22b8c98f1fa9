/**
 * Commit-to-listener latency and write throughput of the engine with many stored documents and 50 query
 * listeners (firebase-admin over gRPC, the path Cloud Functions use). Prints figures; asserts nothing.
 * Seeding goes through the engine directly (admin batches of 500 would take minutes and measure gRPC, not the engine).
 */
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { startEmulator } from '../emulator/src/server';
import type { Write } from '../emulator/src/firestore/types';
import { pct } from './support/stats';

const PROJECT = 'demo-bench';
const DB = `projects/${PROJECT}/databases/(default)`;
const admin = { admin: true, auth: null };

async function run(stored: number): Promise<void> {
  const emu = await startEmulator({ port: 0 });
  process.env.FIRESTORE_EMULATOR_HOST = emu.address;
  const t0 = performance.now();
  for (let i = 0; i < stored; i += 500) {
    const writes: Write[] = [];
    for (let j = i; j < Math.min(stored, i + 500); j++) {
      writes.push({ update: { name: `${DB}/documents/items/i${j}`, fields: { n: { integerValue: String(j) }, group: { integerValue: String(j % 100) } } } });
    }
    await emu.engine.commit(admin, DB, { writes });
  }
  const seedMs = performance.now() - t0;

  const app = initializeApp({ projectId: PROJECT }, `bench-${stored}`);
  const db = getFirestore(app);
  let pendingResolve: ((t: number) => void) | undefined;
  const unsubs: (() => void)[] = [];
  const ready: Promise<void>[] = [];
  for (let l = 0; l < 50; l++) {
    const q = l % 2 === 0 ? db.collection('items').where('group', '==', l) : db.collection('items').orderBy('n', 'desc').limit(10);
    ready.push(
      new Promise<void>((resolve) => {
        let first = true;
        unsubs.push(
          q.onSnapshot((s) => {
            if (first) {
              first = false;
              resolve();
              return;
            }
            // Listener 0 watches group 0, where the measured writes land.
            if (l === 0 && s.docChanges().some((c) => c.doc.id.startsWith('probe'))) pendingResolve?.(performance.now());
          }),
        );
      }),
    );
  }
  await Promise.all(ready);

  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const seen = new Promise<number>((r) => (pendingResolve = r));
    const start = performance.now();
    await db.doc(`items/probe${i}`).set({ n: -i, group: 0 });
    latencies.push((await seen) - start);
  }

  const tw = performance.now();
  let writes = 0;
  while (performance.now() - tw < 3_000) {
    await db.doc(`items/w${writes % 1000}`).set({ n: writes, group: 1 });
    writes++;
  }
  const perSecond = writes / ((performance.now() - tw) / 1000);

  const tb = performance.now();
  let batched = 0;
  while (performance.now() - tb < 3_000) {
    const b = db.batch();
    for (let k = 0; k < 100; k++) b.set(db.doc(`items/b${(batched + k) % 5000}`), { n: batched + k, group: 2 });
    await b.commit();
    batched += 100;
  }
  const batchedPerSecond = batched / ((performance.now() - tb) / 1000);

  console.log(
    `stored=${stored.toLocaleString('en')} listeners=50 seed=${(seedMs / 1000).toFixed(1)}s | write→listener p50=${pct(latencies, 50).toFixed(2)}ms p95=${pct(latencies, 95).toFixed(2)}ms | single writes ${perSecond.toFixed(0)}/s | batched writes ${batchedPerSecond.toFixed(0)}/s`,
  );
  for (const u of unsubs) u();
  await deleteApp(app);
  await emu.close();
}

await run(1_000);
await run(100_000);
process.exit(0);
