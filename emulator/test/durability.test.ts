/**
 * A commit is durable and handed to the triggers, or it did not happen: one listener's failure cannot undo that.
 * A hostile user's Listen target (a cursor whose value does not fit its order, sent over raw gRPC) either is refused
 * when added or fails alone when a commit reaches it; the writer, the other listeners, the durable log and the
 * trigger dispatch are unaffected. This file starts our own engine (it restarts it and watches its triggers).
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp } from 'firebase-admin/app';
import { getFirestore as getAdminFirestore } from 'firebase-admin/firestore';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectFirestoreEmulator, doc, getFirestore, setDoc, terminate } from 'firebase/firestore';
import { startEmulator, type RunningEmulator } from '../src/server';
import { startTriggerDispatcher } from '../src/triggers/dispatcher';
import { rawGrpc, unsignedToken, type ListenMessage } from './support/raw-grpc';

const PROJECT = 'demo-durability';
const DB = `projects/${PROJECT}/databases/(default)`;
const OPEN_RULES = "rules_version = '2';\nservice cloud.firestore {\n  match /{document=**} {\n    allow read, write: if request.auth != null;\n  }\n}\n";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Stands in for the Functions emulator: one `written` trigger on notes/{id}, recording each delivery. */
async function fakeFunctions(): Promise<{ url: string; documents: string[] }> {
  const documents: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/backends') {
        const trigger = { id: 'us-central1-onNote', eventTrigger: { eventType: 'google.cloud.firestore.document.v1.written', eventFilters: { database: '(default)' }, eventFilterPathPatterns: { document: 'notes/{id}' } } };
        res.end(JSON.stringify({ backends: [{ functionTriggers: [trigger] }] }));
        return;
      }
      documents.push((JSON.parse(body) as { document: string }).document);
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, documents };
}

async function start(dataDir: string): Promise<RunningEmulator> {
  const emu = await startEmulator({ port: 0, dataDir });
  cleanup.push(() => emu.close());
  const put = await fetch(`http://${emu.address}/emulator/v1/projects/${PROJECT}:securityRules`, {
    method: 'PUT',
    body: JSON.stringify({ rules: { files: [{ content: OPEN_RULES }] } }),
  });
  if (!put.ok) throw new Error(`loading rules failed: ${put.status} ${await put.text()}`);
  return emu;
}

const removed = (id: number) => (m: ListenMessage) => m.targetChange?.targetChangeType === 'REMOVE' && !!m.targetChange.targetIds?.includes(id);
const current = (id: number) => (m: ListenMessage) => m.targetChange?.targetChangeType === 'CURRENT' && !!m.targetChange.targetIds?.includes(id);

describe.skipIf(!!process.env.PARITY_FIRESTORE_HOST)('a hostile listener cannot undo a commit', () => {
  it('the write is acknowledged, reaches the other listeners and the trigger, and survives a crash and restart', { timeout: 20_000 }, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'durability-'));
    const emu = await start(dataDir);
    const fn = await fakeFunctions();
    const dispatcher = startTriggerDispatcher(emu.engine, { functionsUrl: fn.url, projectId: PROJECT });
    cleanup.push(() => dispatcher.close());
    await dispatcher.refresh();

    // A well-behaved admin listener on the collection.
    const adminApp = initializeAdminApp({ projectId: PROJECT }, `durability-admin-${Date.now()}`);
    cleanup.push(() => deleteAdminApp(adminApp));
    process.env.FIRESTORE_EMULATOR_HOST = emu.address;
    const adminDb = getAdminFirestore(adminApp);
    const adminSaw: string[] = [];
    let adminFirst: () => void = () => {};
    const adminReady = new Promise<void>((r) => (adminFirst = r));
    let onNote: () => void = () => {};
    const adminGotNote = new Promise<void>((r) => (onNote = r));
    const unsubscribe = adminDb.collection('notes').onSnapshot((s) => {
      adminSaw.push(...s.docChanges().map((c) => `${c.type}:${c.doc.id}`));
      adminFirst();
      if (s.docs.some((d) => d.id === 'n1')) onNote();
    });
    cleanup.push(unsubscribe);
    await adminReady;

    // The hostile stream: target 1 orders by __name__ (implicitly) but starts at a string; target 2 is ordinary.
    const client = rawGrpc(emu.address, `Bearer ${unsignedToken('mallory', PROJECT)}`);
    const hostile = client.listen();
    cleanup.push(() => {
      hostile.close();
      client.close();
    });
    hostile.send({
      database: DB,
      addTarget: { targetId: 1, query: { parent: `${DB}/documents`, structuredQuery: { from: [{ collectionId: 'notes' }], startAt: { values: [{ stringValue: 'zzz' }], before: true } } } },
    });
    hostile.send({ database: DB, addTarget: { targetId: 2, query: { parent: `${DB}/documents`, structuredQuery: { from: [{ collectionId: 'notes' }] } } } });
    await hostile.until(current(2));
    // Target 1 is either refused now or accepted (and then fails alone when the commit reaches it).
    await Promise.race([hostile.until(current(1)), hostile.until(removed(1))]);

    // An ordinary user writes through the web SDK (Node, gRPC).
    const webApp = initializeApp({ projectId: PROJECT, apiKey: 'demo-key' }, `durability-web-${Date.now()}`);
    const webDb = getFirestore(webApp);
    connectFirestoreEmulator(webDb, emu.host, emu.port, { mockUserToken: { sub: 'writer' } });
    cleanup.push(async () => {
      await terminate(webDb);
      await deleteApp(webApp);
    });
    await setDoc(doc(webDb, 'notes/n1'), { text: 'hello' });

    // The hostile target ends in an error, the other target of the same stream and the admin listener get the note.
    const gone = await hostile.until(removed(1));
    expect([3, 13]).toContain(gone.targetChange?.cause?.code);
    await hostile.until((m) => m.documentChange?.document?.name === `${DB}/documents/notes/n1` && !!m.documentChange.targetIds?.includes(2));
    await adminGotNote;
    expect(adminSaw).toContain('added:n1');
    // Its trigger ran.
    await dispatcher.whenIdle();
    expect(fn.documents).toEqual(['notes/n1']);

    // A crash: a second engine opens the same folder while the first never closed; the log alone has the note.
    const after = await start(dataDir);
    const r = await fetch(`http://${after.address}/v1/${DB}/documents/notes/n1`, { headers: { Authorization: 'Bearer owner' } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { fields: unknown }).fields).toEqual({ text: { stringValue: 'hello' } });
  });
});
