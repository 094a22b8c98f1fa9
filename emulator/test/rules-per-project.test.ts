/**
 * Security Rules are kept per project: one engine (Firestore and Storage) serves the app's project, started with its
 * rules, and test projects that load their own through @firebase/rules-unit-testing or the emulator endpoints.
 * Loading rules for one project never changes what another enforces, a project without rules denies every client,
 * and firestore.get() in storage rules reads the Firestore of the bucket's own project. Clearing data is per project
 * too: a Storage reset clears only the buckets it names, and one naming none never clears the app's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from '@firebase/rules-unit-testing';
import { doc, getDoc, setLogLevel, type Firestore } from 'firebase/firestore';
import { startEmulator, type RunningEmulator } from '../src/server';
import { unsignedToken } from './support/raw-grpc';

setLogLevel('error');

const APP = 'demo-perproject-app';
const A = 'demo-perproject-a';
const B = 'demo-perproject-b';

/** Firestore rules that open one collection for reading and nothing else. */
const readable = (collection: string) =>
  `rules_version = '2';\nservice cloud.firestore {\n  match /databases/{db}/documents {\n    match /${collection}/{id} {\n      allow read: if true;\n    }\n  }\n}\n`;
/** Storage rules: a signed-in user may read under files/ if Firestore (of the bucket's project) holds grants/{uid}. */
const GRANTED_STORAGE = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /files/{name} {
      allow read: if request.auth != null
        && firestore.exists(/databases/(default)/documents/grants/$(request.auth.uid));
    }
  }
}
`;
/** Storage rules that allow reading everything (to tell which ruleset judged a request). */
const OPEN_STORAGE = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /{all=**} {
      allow read: if true;
    }
  }
}
`;

let emu: RunningEmulator;
let envA: RulesTestEnvironment;
let envB: RulesTestEnvironment;
let engineUrl: string;
let storageUrl: string;

/** An unsigned emulator ID token, as the SDKs send with mockUserToken (its audience is not checked). */
const token = (uid: string) => unsignedToken(uid, APP);

const restGet = (project: string, path: string, uid?: string) =>
  fetch(`${engineUrl}/v1/projects/${project}/databases/(default)/documents/${path}`, {
    headers: uid ? { Authorization: `Bearer ${token(uid)}` } : {},
  });
const putFirestoreRules = (project: string, source: string) =>
  fetch(`${engineUrl}/emulator/v1/projects/${project}:securityRules`, {
    method: 'PUT',
    body: JSON.stringify({ rules: { files: [{ content: source }] } }),
  });
const putStorageRules = (files: { name: string; content: string; resource?: string }[]) =>
  fetch(`${storageUrl}/internal/setRules`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules: { files } }),
  });
const readObject = (bucket: string, name: string, uid: string) =>
  fetch(`${storageUrl}/v0/b/${bucket}/o/${encodeURIComponent(name)}`, {
    headers: { Authorization: `Firebase ${token(uid)}` },
  });

/** Writes a document with rules off (the admin SDK's view). */
async function seed(project: string, path: string): Promise<void> {
  await emu.engine.commit({ admin: true, auth: null }, `projects/${project}/databases/(default)`, {
    writes: [{ update: { name: `projects/${project}/databases/(default)/documents/${path}`, fields: {} } }],
  });
}

beforeAll(async () => {
  // The app's engine, as scripts/stack.ts starts it: its rules belong to its configured project.
  emu = await startEmulator({
    port: 0,
    projectId: APP,
    rules: { source: readable('appPublic') },
    storage: { port: 0, rules: { source: GRANTED_STORAGE } },
  });
  const storage = emu.storage;
  if (!storage) throw new Error('the engine started without Storage');
  engineUrl = `http://${emu.address}`;
  storageUrl = `http://${storage.address}`;
  // Two rules-unit-testing runs at once, each with its own project and rules.
  envA = await initializeTestEnvironment({
    projectId: A,
    firestore: { host: emu.host, port: emu.port, rules: readable('onlyA') },
  });
  envB = await initializeTestEnvironment({
    projectId: B,
    firestore: { host: emu.host, port: emu.port, rules: readable('onlyB') },
  });
  for (const p of [APP, A, B]) for (const c of ['appPublic', 'onlyA', 'onlyB']) await seed(p, `${c}/x`);
});

afterAll(async () => {
  await envA?.cleanup();
  await envB?.cleanup();
  await emu?.close();
});

const dbOf = (env: RulesTestEnvironment): Firestore => env.unauthenticatedContext().firestore() as unknown as Firestore;

describe('Firestore rules per project', () => {
  it('judges each rules-unit-testing project by its own rules, loaded at the same time', async () => {
    const a = dbOf(envA);
    const b = dbOf(envB);
    await assertSucceeds(getDoc(doc(a, 'onlyA/x')));
    await assertFails(getDoc(doc(a, 'onlyB/x')));
    await assertFails(getDoc(doc(a, 'appPublic/x')));
    await assertSucceeds(getDoc(doc(b, 'onlyB/x')));
    await assertFails(getDoc(doc(b, 'onlyA/x')));
  });

  it('keeps the rules the app was started with after other projects loaded theirs', async () => {
    expect((await restGet(APP, 'appPublic/x', 'alice')).status).toBe(200);
    expect((await restGet(APP, 'onlyA/x', 'alice')).status).toBe(403);
    expect((await restGet(APP, 'onlyB/x', 'alice')).status).toBe(403);
  });

  it('changes only the named project on PUT :securityRules, and keeps its last good rules on a bad file', async () => {
    expect((await putFirestoreRules(A, readable('appPublic'))).status).toBe(200);
    expect((await restGet(A, 'appPublic/x')).status).toBe(200);
    expect((await restGet(A, 'onlyA/x')).status).toBe(403);
    expect((await restGet(B, 'onlyB/x')).status).toBe(200);
    expect((await restGet(APP, 'onlyA/x')).status).toBe(403);
    expect((await putFirestoreRules(A, 'service cloud.firestore {')).status).toBe(400);
    expect((await restGet(A, 'appPublic/x')).status).toBe(200);
    // Back to what the rules-unit-testing run of A loaded.
    expect((await putFirestoreRules(A, readable('onlyA'))).status).toBe(200);
  });

  it('denies every client request to a project that has no rules loaded', async () => {
    await seed('demo-perproject-none', 'appPublic/x');
    const r = await restGet('demo-perproject-none', 'appPublic/x', 'alice');
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('No Firestore security rules are loaded for project demo-perproject-none');
  });
});

describe('Storage rules per bucket project', () => {
  beforeAll(async () => {
    const bucketOf = { [APP]: `${APP}.appspot.com`, [A]: `${A}.firebasestorage.app`, [B]: B };
    const owner = { Authorization: 'Bearer owner' };
    for (const bucket of Object.values(bucketOf)) {
      const r = await fetch(`${storageUrl}/v0/b/${bucket}/o?name=files%2Fdoc.txt`, {
        method: 'POST',
        headers: { ...owner, 'Content-Type': 'text/plain' },
        body: 'hola',
      });
      expect(r.status).toBe(200);
    }
    // alice holds a grant only in B's Firestore; bob only in the app's.
    await seed(B, 'grants/alice');
    await seed(APP, 'grants/bob');
  });

  it("reads the bucket's own project's Firestore in firestore.exists()", async () => {
    // B's bucket has no rules of its own yet: load the granted rules for it by name (firebase-tools' resource form).
    expect((await putStorageRules([{ name: 'b.rules', content: GRANTED_STORAGE, resource: B }])).status).toBe(200);
    expect((await readObject(B, 'files/doc.txt', 'alice')).status).toBe(200);
    expect((await readObject(B, 'files/doc.txt', 'bob')).status).toBe(403);
    expect((await readObject(`${APP}.appspot.com`, 'files/doc.txt', 'bob')).status).toBe(200);
    expect((await readObject(`${APP}.appspot.com`, 'files/doc.txt', 'alice')).status).toBe(403);
  });

  it("never lets a setRules naming no bucket (rules-unit-testing's) replace the app's startup rules", async () => {
    // What @firebase/rules-unit-testing sends for its own project: one file, no bucket.
    const envS = await initializeTestEnvironment({
      projectId: 'demo-perproject-s',
      storage: { host: emu.storage?.host ?? '', port: emu.storage?.port ?? 0, rules: OPEN_STORAGE },
    });
    try {
      // The app's bucket keeps its own rules: nobody without a grant reads.
      expect((await readObject(`${APP}.appspot.com`, 'files/doc.txt', 'alice')).status).toBe(403);
      // A's bucket has no rules of its own, so the unnamed file judges it.
      expect((await readObject(`${A}.firebasestorage.app`, 'files/doc.txt', 'alice')).status).toBe(200);
      // B's rules, loaded by name, stay.
      expect((await readObject(B, 'files/doc.txt', 'bob')).status).toBe(403);
    } finally {
      await envS.cleanup();
    }
  });

  it('loads several bucket files all or none', async () => {
    const bad = await putStorageRules([
      { name: 'a.rules', content: OPEN_STORAGE, resource: `${APP}.appspot.com` },
      { name: 'b.rules', content: 'service firebase.storage {', resource: B },
    ]);
    expect(bad.status).toBe(400);
    expect((await readObject(`${APP}.appspot.com`, 'files/doc.txt', 'alice')).status).toBe(403);
  });
});

describe('Storage reset per project', () => {
  const owner = { Authorization: 'Bearer owner' };
  const APP_BUCKET = `${APP}.appspot.com`;
  const A_BUCKET = `${A}.firebasestorage.app`;
  /** Every bucket and object of this block: the app's, two of A's (rules-unit-testing's `gs://A` and a default one), B's. */
  const FILES: [bucket: string, name: string][] = [
    [APP_BUCKET, 'files/app.txt'],
    [A, 'root.txt'],
    [A_BUCKET, 'files/a.txt'],
    [B, 'files/b.txt'],
  ];
  const exists = async (bucket: string, name: string) =>
    (await fetch(`${storageUrl}/v0/b/${bucket}/o/${encodeURIComponent(name)}`, { headers: owner })).status === 200;
  /** Which of FILES are still there. */
  const left = async () => {
    const out: string[] = [];
    for (const [bucket, name] of FILES) if (await exists(bucket, name)) out.push(`${bucket}/${name}`);
    return out;
  };
  const reset = async (query = '') => {
    const r = await fetch(`${storageUrl}/internal/reset${query}`, { method: 'POST' });
    const body = (await r.json()) as { buckets?: string[]; objects?: number; error?: unknown };
    return { status: r.status, buckets: body.buckets?.toSorted(), objects: body.objects };
  };

  beforeEach(async () => {
    for (const [bucket, name] of FILES) {
      const r = await fetch(`${storageUrl}/v0/b/${bucket}/o?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { ...owner, 'Content-Type': 'text/plain' },
        body: 'hola',
      });
      expect(r.status).toBe(200);
    }
  });

  it("leaves the app's files alone when a rules-unit-testing run clears its own storage", async () => {
    const env = await initializeTestEnvironment({ projectId: A, storage: { host: emu.storage?.host ?? '', port: emu.storage?.port ?? 0 } });
    try {
      await env.clearStorage();
    } finally {
      await env.cleanup();
    }
    expect(await left()).toEqual([`${APP_BUCKET}/files/app.txt`, `${A_BUCKET}/files/a.txt`, `${B}/files/b.txt`]);
  });

  it("clears every project but the app's on a reset that names nothing", async () => {
    // files/doc.txt of the rules block above is still in the three buckets.
    expect(await reset()).toEqual({ status: 200, buckets: [B, A, A_BUCKET].toSorted(), objects: 5 });
    expect(await left()).toEqual([`${APP_BUCKET}/files/app.txt`]);
  });

  it('clears only the buckets and projects a reset names, the app included when named', async () => {
    expect(await reset(`?bucket=${B}`)).toEqual({ status: 200, buckets: [B], objects: 1 });
    expect(await reset(`?project=${A}`)).toEqual({ status: 200, buckets: [A, A_BUCKET].toSorted(), objects: 2 });
    expect(await left()).toEqual([`${APP_BUCKET}/files/app.txt`]);
    expect(await reset(`?project=${APP}&bucket=nobody`)).toEqual({ status: 200, buckets: [APP_BUCKET], objects: 2 });
    expect(await left()).toEqual([]);
  });

  it('refuses a reset with any other parameter, and clears nothing', async () => {
    expect((await reset(`?buckets=${B}`)).status).toBe(400);
    expect((await reset('?project=')).status).toBe(400);
    expect(await left()).toEqual(FILES.map(([bucket, name]) => `${bucket}/${name}`));
  });
});
