/**
 * bookAppointment latency under 20 concurrent clients on a local stack (the real Functions emulator and our engine):
 * each client is a signed-in patient with the web SDK, booking distinct free slots of one specialist (no two clients
 * want the same time, so every call commits, and they still queue on the specialist's documents), then a round where
 * all 20 want the same slot (one commits, 19 hear "slot just taken"). Prints p50/p95; asserts nothing.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp } from 'firebase-admin/app';
import { getAuth as getAdminAuth } from 'firebase-admin/auth';
import { getFirestore as getAdminFirestore } from 'firebase-admin/firestore';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectFunctionsEmulator, getFunctions, httpsCallable, type HttpsCallable } from 'firebase/functions';
import { generateSlots, officeSchema, paths, type Slot } from '../domain/src';
import { startStack, PROJECT_ID } from '../scripts/stack';
import { DEMO_PASSWORD } from '../scripts/seed-data';
import { pct } from './support/stats';

const ports = { firestore: 14080, storage: 14199, auth: 14099, functions: 14001, hub: 14400, logging: 14500 };
const CLIENTS = 20;
const PER_CLIENT = 5;
const SPECIALIST = 'esp-lucia-quispe';

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

const stack = await startStack({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'bench-booking-')), seed: true, quiet: true, ports });
const adminApp = initializeAdminApp({ projectId: PROJECT_ID }, 'bench-booking-admin');
const apps: FirebaseApp[] = [];
try {
  await stack.whenTriggersIdle();
  const adminAuth = getAdminAuth(adminApp);
  const book: HttpsCallable[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const uid = `pac-bench-${i}`;
    await adminAuth.createUser({ uid, email: `${uid}@demo.telesalud.test`, password: DEMO_PASSWORD });
    await adminAuth.setCustomUserClaims(uid, { roles: ['patient'] });
    const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-api-key' }, `bench-${i}`);
    apps.push(app);
    const auth = getAuth(app);
    connectAuthEmulator(auth, stack.urls.auth, { disableWarnings: true });
    await signInWithEmailAndPassword(auth, `${uid}@demo.telesalud.test`, DEMO_PASSWORD);
    const functions = getFunctions(app, 'us-central1');
    connectFunctionsEmulator(functions, '127.0.0.1', ports.functions);
    book.push(httpsCallable(functions, 'bookAppointment'));
  }
  // Each client books up to 11 visits with this specialist: raise her per-patient limit (default 3) to the most a
  // specialist may set, so the bench measures bookings, not refusals.
  await getAdminFirestore(adminApp).doc(paths.specialist(SPECIALIST)).update({ bookingSettings: { maxActivePerPatient: 50 } });
  const office = officeSchema.parse((await getAdminFirestore(adminApp).doc(paths.office(SPECIALIST, 'principal')).get()).data());
  const from = new Date(Date.now() + 7 * 86_400_000);
  const all = generateSlots({ office, officeId: 'principal', from, to: new Date(from.getTime() + 60 * 86_400_000), exceptions: [], busy: [], now: new Date() });
  // Slots far enough apart (end + buffer) to be booked independently.
  const free: Slot[] = [];
  for (const s of all) {
    const last = free.at(-1);
    if (!last || s.start.getTime() >= last.end.getTime() + office.bufferMinutes * 60_000) free.push(s);
  }
  const payload = (s: Slot) => ({
    specialistUid: SPECIALIST,
    officeId: 'principal',
    siteId: 'telesalud',
    start: s.start.toISOString(),
    reason: 'Bench',
    visitType: 'first',
    forWhom: 'self',
    contactPhone: '+51 955 550 103',
    idempotencyKey: crypto.randomUUID(),
  });
  const timed = async (c: HttpsCallable, s: Slot): Promise<{ ms: number; ok: boolean }> => {
    const t = performance.now();
    try {
      await c(payload(s));
      return { ms: performance.now() - t, ok: true };
    } catch {
      return { ms: performance.now() - t, ok: false };
    }
  };

  // Warm-up: the emulator starts a worker per concurrent request the first time.
  const warm = free.splice(0, CLIENTS);
  await Promise.all(warm.map((s, i) => (book[i] ? timed(book[i], s) : undefined)));

  const slots = free.splice(0, CLIENTS * PER_CLIENT);
  const t0 = performance.now();
  const distinct = await Promise.all(
    book.map(async (c, i) => {
      const out: { ms: number; ok: boolean }[] = [];
      for (let k = 0; k < PER_CLIENT; k++) {
        const s = slots[i * PER_CLIENT + k];
        if (s) out.push(await timed(c, s));
      }
      return out;
    }),
  );
  const wall = performance.now() - t0;
  const flat = distinct.flat();
  const ms = flat.map((r) => r.ms);
  console.log(`bookAppointment, ${CLIENTS} concurrent clients × ${PER_CLIENT} distinct slots of one specialist`);
  console.log(`  committed ${flat.filter((r) => r.ok).length}/${flat.length}   p50 ${fmt(pct(ms, 50))}   p95 ${fmt(pct(ms, 95))}   max ${fmt(Math.max(...ms))}`);
  console.log(`  throughput ${(flat.length / (wall / 1000)).toFixed(1)} bookings/s`);

  const race: { ms: number; ok: boolean }[] = [];
  for (let r = 0; r < 5; r++) {
    const s = free.shift();
    if (!s) break;
    race.push(...(await Promise.all(book.map((c) => timed(c, s)))));
  }
  const raceMs = race.map((r) => r.ms);
  console.log(`bookAppointment, ${CLIENTS} clients racing for one slot (5 rounds)`);
  console.log(`  committed ${race.filter((r) => r.ok).length}/${race.length}   p50 ${fmt(pct(raceMs, 50))}   p95 ${fmt(pct(raceMs, 95))}   max ${fmt(Math.max(...raceMs))}`);
} finally {
  await Promise.all(apps.map((a) => deleteApp(a)));
  await deleteAdminApp(adminApp);
  await stack.stop();
}
