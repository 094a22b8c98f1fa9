/**
 * Security Rules cost per request: a realistic rules file whose read and update rules each make 2 get() calls
 * (the caller's clinic membership and the clinic's policy), judged by the deployed FirestoreRules authorizer.
 * 1. the evaluator alone (in-process, no transport), for get and update requests;
 * 2. the same document read end to end by the web SDK (Node, gRPC) with those rules vs. an allow-all file, so the
 *    figure shows what rules add to a real request. Prints figures; asserts nothing.
 */
import { deleteApp, initializeApp } from 'firebase/app';
import { connectFirestoreEmulator, doc, getDocFromServer, getFirestore, terminate } from 'firebase/firestore';
import { FirestoreRules } from '../emulator/src/rules/firestore';
import { startEmulator } from '../emulator/src/server';
import type { Document, Value } from '../emulator/src/firestore/types';
import { pct } from './support/stats';

const PROJECT = 'demo-bench';
const DB = `projects/${PROJECT}/databases/(default)`;

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function isSignedIn() { return request.auth != null; }
    function member(clinicId) { return get(/databases/$(database)/documents/clinics/$(clinicId)/members/$(request.auth.uid)).data; }
    function clinic(clinicId) { return get(/databases/$(database)/documents/clinics/$(clinicId)).data; }
    function isStaffOf(clinicId) { return isSignedIn() && member(clinicId).active == true && member(clinicId).role == 'staff'; }
    match /appointments/{id} {
      allow get: if isSignedIn() && (resource.data.patientUid == request.auth.uid
        || (isStaffOf(resource.data.clinicId) && clinic(resource.data.clinicId).portalAccess != 'disabled'));
      allow update: if isStaffOf(resource.data.clinicId)
        && clinic(resource.data.clinicId).portalAccess != 'disabled'
        && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['notes', 'updatedAt'])
        && request.resource.data.notes is string && request.resource.data.notes.size() <= 2000
        && request.resource.data.updatedAt == request.time;
    }
    match /{document=**} { allow read, write: if false; }
  }
}`;

const str = (v: string): Value => ({ stringValue: v });
const stored = (path: string, fields: Record<string, Value>): Document => ({
  name: `${DB}/documents/${path}`,
  fields,
  createTime: '2026-01-01T00:00:00Z',
  updateTime: '2026-01-01T00:00:00Z',
});
const docs = new Map<string, Document>();
for (const d of [
  stored('clinics/andina', { portalAccess: str('email_phone') }),
  stored('clinics/andina/members/staff1', { role: str('staff'), active: { booleanValue: true } }),
  stored('appointments/a1', { patientUid: str('p1'), clinicId: str('andina'), notes: str('') }),
])
  docs.set(d.name, d);

const fmt = (us: number) => `${us.toFixed(1)} µs`;

async function evaluatorAlone(): Promise<void> {
  const rules = new FirestoreRules({ read: (name) => docs.get(name) ?? null });
  rules.load(RULES);
  const authz = rules.authorizer();
  const staff = { admin: false, auth: { uid: 'staff1', token: { sub: 'staff1' } } };
  const appt = docs.get(`${DB}/documents/appointments/a1`) ?? null;
  const time = '2026-06-01T12:00:00.000001Z';
  const after: Document | null = appt && { ...appt, fields: { ...appt.fields, notes: str('Trae exámenes'), updatedAt: { timestampValue: time } } };
  const cases: [string, () => Promise<void>][] = [
    ['get, 2 get() calls', () => authz.authorizeGet(staff, `${DB}/documents/appointments/a1`, appt)],
    [
      'update, 2 get() calls + diff',
      () => authz.authorizeWrites(staff, DB, [{ name: `${DB}/documents/appointments/a1`, method: 'update', before: appt, after }], () => null, time),
    ],
  ];
  for (const [name, run] of cases) {
    for (let i = 0; i < 2000; i++) await run(); // warm-up
    const n = 20_000;
    const lat: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await run();
      lat.push((performance.now() - t) * 1000);
    }
    const total = performance.now() - t0;
    console.log(`evaluator  ${name.padEnd(30)} ${Math.round(n / (total / 1000)).toLocaleString('en')} req/s   p50 ${fmt(pct(lat, 50))}   p95 ${fmt(pct(lat, 95))}`);
  }
}

async function endToEnd(label: string, rules: string): Promise<void> {
  const emu = await startEmulator({ port: 0, projectId: PROJECT, rules: { source: rules } });
  for (const d of docs.values()) await emu.engine.commit({ admin: true, auth: null }, DB, { writes: [{ update: d }] });
  const app = initializeApp({ projectId: PROJECT, apiKey: 'bench' }, label);
  const db = getFirestore(app);
  connectFirestoreEmulator(db, emu.host, emu.port, { mockUserToken: { sub: 'staff1', user_id: 'staff1' } });
  const ref = doc(db, 'appointments/a1');
  for (let i = 0; i < 100; i++) await getDocFromServer(ref);
  const lat: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    await getDocFromServer(ref);
    lat.push((performance.now() - t) * 1000);
  }
  console.log(`web SDK    getDoc, ${label.padEnd(22)} p50 ${fmt(pct(lat, 50))}   p95 ${fmt(pct(lat, 95))}   (1,000 reads)`);
  await terminate(db);
  await deleteApp(app);
  await emu.close();
}

await evaluatorAlone();
await endToEnd('rules with 2 get()', RULES);
await endToEnd('allow-all rules', `rules_version = '2'; service cloud.firestore { match /databases/{d}/documents { match /{x=**} { allow read, write: if true; } } }`);
