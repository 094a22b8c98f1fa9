/**
 * The Storage emulator driven only through public clients: the unmodified web SDK (`firebase/storage` 12) in Node,
 * firebase-admin's `getStorage().bucket()` (@google-cloud/storage over STORAGE_EMULATOR_HOST), and plain HTTP for the
 * emulator endpoints and protocol edge cases. A small local HTTP server stands in for the Functions emulator's
 * `trigger_multicast` route and records what it is sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGetStatus } from './support/raw-http';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import {
  connectStorageEmulator,
  deleteObject,
  getBytes,
  getDownloadURL,
  getMetadata,
  getStorage,
  getStream,
  list,
  listAll,
  ref,
  updateMetadata,
  uploadBytes,
  uploadBytesResumable,
  uploadString,
  type FirebaseStorage,
} from 'firebase/storage';
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp, type App as AdminApp } from 'firebase-admin/app';
import type { Bucket } from '@google-cloud/storage';
import {
  startStorageEmulator,
  type RunningStorage,
  type StorageAuthRequest,
  type StorageCloudEvent,
  type StorageRulesFile,
} from '../src/storage';
import { unsignedToken } from './support/raw-grpc';

const PROJECT = 'demo-storage';
const BUCKET = 'demo-storage.appspot.com';

/** The test's rules: only alice, only under users/alice/. */
const asked: StorageAuthRequest[] = [];
const authorize = async (q: StorageAuthRequest): Promise<boolean> => {
  asked.push(q);
  return q.ctx.auth?.uid === 'alice' && (q.path === 'users/alice' || q.path.startsWith('users/alice/'));
};
const rulesLoaded: StorageRulesFile[][] = [];
const onRulesUpdate = (files: StorageRulesFile[]): void => {
  for (const f of files)
    if (f.source.includes('syntax error')) throw new Error(`${f.fileName}:1:1: syntax error near 'service'`);
  rulesLoaded.push(files);
};

const apps: FirebaseApp[] = [];
/** A web SDK client of one emulator: a user (mock token), the rules-bypassing "owner", or nobody. */
function client(emu: RunningStorage, mockUserToken?: { sub: string } | 'owner'): FirebaseStorage {
  const app = initializeApp({ projectId: PROJECT, storageBucket: BUCKET }, `storage-test-${apps.length}`);
  apps.push(app);
  const storage = getStorage(app);
  connectStorageEmulator(storage, emu.host, emu.port, mockUserToken ? { mockUserToken } : {});
  return storage;
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');

let emu: RunningStorage;
let base: string;
let alice: FirebaseStorage;
let bob: FirebaseStorage;
let anon: FirebaseStorage;
let owner: FirebaseStorage;
let adminApp: AdminApp;
let bucket: Bucket;
const savedEmulatorHost = process.env.STORAGE_EMULATOR_HOST;

beforeAll(async () => {
  emu = await startStorageEmulator({ port: 0, projectId: PROJECT, authorize, onRulesUpdate });
  base = `http://${emu.address}`;
  alice = client(emu, { sub: 'alice' });
  bob = client(emu, { sub: 'bob' });
  anon = client(emu);
  owner = client(emu, 'owner');
  // @google-cloud/storage reads the variable when firebase-admin builds its client, so set it before importing.
  process.env.STORAGE_EMULATOR_HOST = base;
  const { getStorage: getAdminStorage } = await import('firebase-admin/storage');
  adminApp = initializeAdminApp({ projectId: PROJECT, storageBucket: BUCKET }, 'storage-test-admin');
  bucket = getAdminStorage(adminApp).bucket();
});

afterAll(async () => {
  await Promise.all(apps.map((a) => deleteApp(a)));
  await deleteAdminApp(adminApp);
  await emu.close();
  if (savedEmulatorHost === undefined) delete process.env.STORAGE_EMULATOR_HOST;
  else process.env.STORAGE_EMULATOR_HOST = savedEmulatorHost;
});

describe('web SDK', () => {
  it('uploads multipart (uploadString, uploadBytes) and reads the metadata back', async () => {
    const r = ref(alice, 'users/alice/notes/hello.txt');
    const up = await uploadString(r, 'hola mundo', 'raw', { contentType: 'text/plain', customMetadata: { lang: 'es' } });
    expect(up.metadata).toMatchObject({ fullPath: 'users/alice/notes/hello.txt', bucket: BUCKET, size: 10, contentType: 'text/plain', customMetadata: { lang: 'es' } });
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await uploadBytes(ref(alice, 'users/alice/notes/raw.bin'), bytes);
    const md = await getMetadata(ref(alice, 'users/alice/notes/raw.bin'));
    expect(md).toMatchObject({ size: 5, contentType: 'application/octet-stream', md5Hash: md5(bytes), metageneration: '1' });
    expect(new Uint8Array(await getBytes(ref(alice, 'users/alice/notes/raw.bin')))).toEqual(bytes);
    // A new object is a create, the same path again an update; the rules see the object to be.
    const mine = asked.filter((q) => q.path === 'users/alice/notes/hello.txt');
    expect(mine.map((q) => q.method)).toEqual(['create']);
    expect(mine[0]?.requestResource).toMatchObject({ size: 10, contentType: 'text/plain', metadata: { lang: 'es' } });
    expect(mine[0]?.resource).toBeNull();
    await uploadString(r, 'hola otra vez');
    expect(asked.filter((q) => q.path === 'users/alice/notes/hello.txt').map((q) => q.method)).toEqual(['create', 'update']);
    expect(asked.at(-1)?.resource).toMatchObject({ size: 10 });
  });

  it('uploads resumable in several chunks (uploadBytesResumable over 256 KiB)', async () => {
    const data = randomBytes(900 * 1024);
    const r = ref(alice, 'users/alice/big.bin');
    const task = uploadBytesResumable(r, data, { contentType: 'application/x-test', customMetadata: { kind: 'big' } });
    const progress: number[] = [];
    task.on('state_changed', (s) => {
      if (s.bytesTransferred > 0) progress.push(s.bytesTransferred);
    });
    const done = await task;
    // The SDK sends 256 KiB, then doubles the chunk: three requests after the start.
    expect([...new Set(progress)]).toEqual([262_144, 786_432, 921_600]);
    expect(done.metadata).toMatchObject({ size: data.length, contentType: 'application/x-test', customMetadata: { kind: 'big' }, md5Hash: md5(data) });
    expect(Buffer.compare(Buffer.from(await getBytes(r)), data)).toBe(0);
    // getStream, and getBytes limited to the first bytes (a Range request).
    expect(Buffer.compare(Buffer.from(await new Response(getStream(r)).arrayBuffer()), data)).toBe(0);
    expect(Buffer.compare(Buffer.from(await getBytes(r, 10)), data.subarray(0, 10))).toBe(0);
  });

  it('gives a download URL whose token reads without any Authorization, like production', async () => {
    const r = ref(alice, 'users/alice/photo.png');
    await uploadString(r, 'PNGDATA', 'raw', { contentType: 'image/png' });
    const url = await getDownloadURL(r);
    expect(url).toMatch(new RegExp(`^${base}/v0/b/${BUCKET}/o/users%2Falice%2Fphoto\\.png\\?alt=media&token=[0-9a-f-]{36}$`));
    const got = await fetch(url);
    expect([got.status, got.headers.get('content-type'), await got.text()]).toEqual([200, 'image/png', 'PNGDATA']);
    const wrong = await fetch(url.replace(/token=.*/, 'token=not-a-token'));
    expect(wrong.status).toBe(403);
    // The token does not open the metadata.
    const meta = await fetch(url.replace('alt=media&', ''));
    expect(meta.status).toBe(403);
    // Admin tooling rotates tokens: a revoked token stops working, the new one works.
    const objectUrl = url.slice(0, url.indexOf('?'));
    const oldToken = new URL(url).searchParams.get('token') ?? '';
    const asOwner = { method: 'POST', headers: { Authorization: 'Firebase owner' } };
    expect((await fetch(`${objectUrl}?create_token=true`, { method: 'POST' })).status).toBe(403);
    expect((await fetch(`${objectUrl}?create_token=true`, asOwner)).status).toBe(200);
    const rotated = (await (await fetch(`${objectUrl}?delete_token=${oldToken}`, asOwner)).json()) as { downloadTokens: string };
    expect(rotated.downloadTokens.split(',')).toHaveLength(1);
    expect(rotated.downloadTokens).not.toContain(oldToken);
    expect((await fetch(url)).status).toBe(403);
    expect(await (await fetch(`${objectUrl}?alt=media&token=${rotated.downloadTokens}`)).text()).toBe('PNGDATA');
  });

  it('updates metadata: custom keys merge, null deletes one, metageneration grows', async () => {
    const r = ref(alice, 'users/alice/doc.pdf');
    await uploadString(r, '%PDF', 'raw', { contentType: 'application/pdf', customMetadata: { a: '1', b: '2' } });
    const before = await getMetadata(r);
    const after = await updateMetadata(r, { cacheControl: 'private, max-age=60', customMetadata: { a: null, c: '3' } as unknown as Record<string, string> });
    expect(after).toMatchObject({ contentType: 'application/pdf', cacheControl: 'private, max-age=60', customMetadata: { b: '2', c: '3' }, metageneration: '2', generation: before.generation });
    expect(after.customMetadata).not.toHaveProperty('a');
    const q = asked.at(-1);
    expect([q?.method, q?.resource?.metadata, q?.requestResource?.metadata]).toEqual(['update', { a: '1', b: '2' }, { b: '2', c: '3' }]);
    // The download token survives a metadata update.
    expect(await (await fetch(await getDownloadURL(r))).text()).toBe('%PDF');
  });

  it('lists with pagination (items and prefixes), and listAll', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) await uploadString(ref(alice, `users/alice/list/${n}.txt`), n);
    await uploadString(ref(alice, 'users/alice/list/sub/deep.txt'), 'deep');
    await uploadString(ref(alice, 'users/alice/list/sub2/deep.txt'), 'deep');
    const folder = ref(alice, 'users/alice/list');
    const pages: { items: string[]; prefixes: string[] }[] = [];
    let pageToken: string | undefined;
    do {
      const page = await list(folder, { maxResults: 3, ...(pageToken ? { pageToken } : {}) });
      pages.push({ items: page.items.map((i) => i.name), prefixes: page.prefixes.map((p) => p.fullPath) });
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(pages).toEqual([
      { items: ['a.txt', 'b.txt', 'c.txt'], prefixes: [] },
      { items: ['d.txt', 'e.txt'], prefixes: ['users/alice/list/sub'] },
      { items: [], prefixes: ['users/alice/list/sub2'] },
    ]);
    const all = await listAll(folder);
    expect(all.items.map((i) => i.fullPath)).toEqual(['a', 'b', 'c', 'd', 'e'].map((n) => `users/alice/list/${n}.txt`));
    expect(all.prefixes.map((p) => p.name)).toEqual(['sub', 'sub2']);
    // List requests reach the rules with the prefix minus its trailing slash, and the delimiter.
    expect(asked.filter((q) => q.method === 'list').at(-1)).toMatchObject({ path: 'users/alice/list', delimiter: '/', resource: null, requestResource: null });
  });

  it('deletes; the object is then not found', async () => {
    const r = ref(alice, 'users/alice/tmp.txt');
    await uploadString(r, 'x');
    await deleteObject(r);
    expect(asked.at(-1)).toMatchObject({ method: 'delete', path: 'users/alice/tmp.txt', resource: { size: 1 } });
    await expect(getMetadata(r)).rejects.toMatchObject({ code: 'storage/object-not-found' });
    await expect(deleteObject(r)).rejects.toMatchObject({ code: 'storage/object-not-found' });
  });

  it('answers storage/unauthorized to whoever the rules deny, before telling whether the object exists', async () => {
    await uploadString(ref(alice, 'users/alice/private.txt'), 'secret');
    const unauthorized = { code: 'storage/unauthorized' };
    await expect(uploadString(ref(alice, 'users/bob/x.txt'), 'x')).rejects.toMatchObject(unauthorized);
    await expect(uploadBytesResumable(ref(bob, 'users/alice/big2.bin'), randomBytes(300 * 1024))).rejects.toMatchObject(unauthorized);
    await expect(getMetadata(ref(bob, 'users/alice/private.txt'))).rejects.toMatchObject(unauthorized);
    await expect(getBytes(ref(anon, 'users/alice/private.txt'))).rejects.toMatchObject(unauthorized);
    await expect(getMetadata(ref(bob, 'users/alice/nothing-here'))).rejects.toMatchObject(unauthorized);
    await expect(list(ref(anon, 'users/alice'))).rejects.toMatchObject(unauthorized);
    await expect(updateMetadata(ref(bob, 'users/alice/private.txt'), { contentType: 'text/html' })).rejects.toMatchObject(unauthorized);
    await expect(deleteObject(ref(bob, 'users/alice/private.txt'))).rejects.toMatchObject(unauthorized);
    expect(await getBytes(ref(alice, 'users/alice/private.txt'))).toBeInstanceOf(ArrayBuffer);
    expect(asked.filter((q) => q.ctx.auth === null).length).toBeGreaterThan(0);
    expect(asked.find((q) => q.ctx.auth?.uid === 'bob')?.ctx.auth?.token).toMatchObject({ sub: 'bob', user_id: 'bob', aud: PROJECT });
  });

  it('lets the "owner" token (withSecurityRulesDisabled) bypass rules without asking them', async () => {
    const n = asked.length;
    await uploadString(ref(owner, 'anywhere/seed.txt'), 'seed');
    expect((await listAll(ref(owner, 'anywhere'))).items.map((i) => i.name)).toEqual(['seed.txt']);
    await deleteObject(ref(owner, 'anywhere/seed.txt'));
    expect(asked.length).toBe(n);
  });
});

describe('firebase-admin bucket API (GCS JSON over STORAGE_EMULATOR_HOST)', () => {
  it('saves (resumable and multipart), downloads with checksum validation, reads and patches metadata', async () => {
    const json = bucket.file('admin/a.json');
    await json.save(JSON.stringify({ a: 1 }), { contentType: 'application/json', metadata: { metadata: { source: 'admin', keep: 'yes' } } });
    const text = bucket.file('admin/b.txt');
    await text.save('multipart body', { resumable: false, contentType: 'text/plain' });
    const [bytes] = await json.download();
    expect(JSON.parse(bytes.toString())).toEqual({ a: 1 });
    expect((await text.download())[0].toString()).toBe('multipart body');
    const [md] = await json.getMetadata();
    expect(md).toMatchObject({ name: 'admin/a.json', bucket: BUCKET, contentType: 'application/json', size: '7', metadata: { source: 'admin', keep: 'yes' } });
    await json.setMetadata({ cacheControl: 'no-cache', metadata: { source: null, extra: '1' } });
    const [patched] = await json.getMetadata();
    expect(patched).toMatchObject({ cacheControl: 'no-cache', metadata: { keep: 'yes', extra: '1' }, metageneration: '2' });
    expect(patched.metadata).not.toHaveProperty('source');
    // Admin requests never reach the rules.
    expect(asked.some((q) => q.path.startsWith('admin/'))).toBe(false);
  });

  it('uploads a local file, lists by prefix, checks existence and deletes', async () => {
    const local = path.join(mkdtempSync(path.join(os.tmpdir(), 'storage-upload-')), 'scan.bin');
    const data = randomBytes(300 * 1024);
    writeFileSync(local, data);
    await bucket.upload(local, { destination: 'admin/scans/scan.bin' });
    expect(Buffer.compare((await bucket.file('admin/scans/scan.bin').download())[0], data)).toBe(0);
    const [files] = await bucket.getFiles({ prefix: 'admin/' });
    expect(files.map((f) => f.name)).toEqual(['admin/a.json', 'admin/b.txt', 'admin/scans/scan.bin']);
    const file = bucket.file('admin/b.txt');
    expect((await file.exists())[0]).toBe(true);
    await file.delete();
    expect((await file.exists())[0]).toBe(false);
    await expect(file.download()).rejects.toMatchObject({ code: 404 });
    await expect(file.delete()).rejects.toMatchObject({ code: 404 });
  });

  it('shares objects with the web SDK: an admin upload gets a download token when a client asks for its URL', async () => {
    await bucket.file('users/alice/from-admin.txt').save('from the server', { contentType: 'text/plain' });
    const url = await getDownloadURL(ref(alice, 'users/alice/from-admin.txt'));
    expect(await (await fetch(url)).text()).toBe('from the server');
    const [md] = await bucket.file('users/alice/from-admin.txt').getMetadata();
    expect(md.metadata?.firebaseStorageDownloadTokens).toBe(new URL(url).searchParams.get('token'));
  });
});

describe('emulator endpoints, CORS and bad input', () => {
  const alicePost = (url: string, init: { headers?: Record<string, string>; body?: string }) =>
    fetch(url, { ...init, method: 'POST', headers: { Authorization: `Bearer ${fakeJwt('alice')}`, ...init.headers } });
  /** Status and error message of an answer in the GCS error shape. */
  const failure = async (r: Response) => [r.status, ((await r.json()) as { error: { message: string } }).error.message];

  it('loads rules through PUT /internal/setRules and refuses bad ones with 400, keeping the old', async () => {
    const put = (body: string) => fetch(`${base}/internal/setRules`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body });
    const good = await put(JSON.stringify({ rules: { files: [{ name: 'storage.rules', content: "rules_version = '2';" }] } }));
    expect(good.status).toBe(200);
    expect(rulesLoaded).toEqual([[{ source: "rules_version = '2';", fileName: 'storage.rules' }]]);
    const bad = await put(JSON.stringify({ rules: { files: [{ name: 'storage.rules', content: 'syntax error' }] } }));
    expect(await failure(bad)).toEqual([400, "storage.rules:1:1: syntax error near 'service'"]);
    expect(await failure(await put('{"rules": {'))).toEqual([400, 'Request body is not valid JSON']);
    expect((await put(JSON.stringify({ rules: {} }))).status).toBe(400);
    // Several files name their buckets (firebase-tools' format); one without a bucket among several is refused.
    const two = [
      { name: 'a.rules', content: 'A', resource: 'demo-a.appspot.com' },
      { name: 'b.rules', content: 'B', resource: 'demo-b' },
    ];
    expect((await put(JSON.stringify({ rules: { files: two } }))).status).toBe(200);
    expect(rulesLoaded.at(-1)).toEqual([
      { source: 'A', fileName: 'a.rules', bucket: 'demo-a.appspot.com' },
      { source: 'B', fileName: 'b.rules', bucket: 'demo-b' },
    ]);
    const unnamed = await put(JSON.stringify({ rules: { files: [two[0], { name: 'c.rules', content: 'C' }] } }));
    expect(await failure(unnamed)).toEqual([400, expect.stringContaining('rules.files[1] needs a "resource"')]);
    expect(rulesLoaded).toHaveLength(2);
  });

  it('answers 400 with a reason to protocol mistakes, and keeps working', async () => {
    const o = `${base}/v0/b/${BUCKET}/o`;
    const unknown = await alicePost(`${o}?name=users%2Falice%2Fr.bin&upload_id=nope&upload_protocol=resumable`, {
      headers: { 'X-Goog-Upload-Command': 'upload, finalize', 'X-Goog-Upload-Offset': '0' },
      body: 'abc',
    });
    expect(await failure(unknown)).toEqual([400, expect.stringContaining('Unknown resumable upload id "nope"')]);
    const command = await alicePost(`${o}?name=users%2Falice%2Fr.bin`, { headers: { 'X-Goog-Upload-Protocol': 'resumable', 'X-Goog-Upload-Command': 'explode' }, body: '{}' });
    expect(await failure(command)).toEqual([400, expect.stringContaining('Unknown X-Goog-Upload-Command')]);
    const multipart = await alicePost(`${o}?name=users%2Falice%2Fm.bin`, {
      headers: { 'X-Goog-Upload-Protocol': 'multipart', 'Content-Type': 'multipart/related; boundary=abc' },
      body: 'this is not a multipart body',
    });
    expect(await failure(multipart)).toEqual([400, expect.stringContaining('does not start with its boundary')]);
    const noName = await alicePost(o, { headers: { 'X-Goog-Upload-Protocol': 'multipart', 'Content-Type': 'multipart/related; boundary=b' }, body: '--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--' });
    expect(await failure(noName)).toEqual([400, expect.stringContaining('Missing object name')]);
    const patch = await fetch(`${o}/users%2Falice%2Fphoto.png`, { method: 'PATCH', headers: { Authorization: `Firebase ${fakeJwt('alice')}` }, body: '{oops' });
    expect(await failure(patch)).toEqual([400, 'Request body is not valid JSON']);
    const prefix = await fetch(`${o}?prefix=users%2Falice&delimiter=%2F`, { headers: { Authorization: `Firebase ${fakeJwt('alice')}` } });
    expect(await failure(prefix)).toEqual([400, expect.stringContaining('ends with a single /')]);
    const token = await fetch(`${o}/users%2Falice%2Fphoto.png`, { headers: { Authorization: 'Firebase not-a-jwt' } });
    expect(await failure(token)).toEqual([401, expect.stringContaining('Malformed')]);
    // Nothing was lost and the server still serves.
    expect(await (await fetch(await getDownloadURL(ref(alice, 'users/alice/photo.png')))).text()).toBe('PNGDATA');
    await uploadString(ref(alice, 'users/alice/after-errors.txt'), 'ok');
  });

  it('speaks the resumable protocol: query, a retried chunk, finalize, and a repeated finalize', async () => {
    const auth = { Authorization: `Firebase ${fakeJwt('alice')}` };
    const start = await fetch(`${base}/v0/b/${BUCKET}/o?name=users%2Falice%2Fresumed.txt`, {
      method: 'POST',
      // The size is declared at start, as the web SDK does: the rules judge it before any byte is held.
      headers: { ...auth, 'X-Goog-Upload-Protocol': 'resumable', 'X-Goog-Upload-Command': 'start', 'X-Goog-Upload-Header-Content-Length': '11', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'users/alice/resumed.txt', contentType: 'text/plain' }),
    });
    const url = start.headers.get('x-goog-upload-url') ?? '';
    expect([start.status, start.headers.get('x-goog-upload-status')]).toEqual([200, 'active']);
    const send = (command: string, body?: string, offset?: number) =>
      fetch(url, { method: 'POST', headers: { ...auth, 'X-Goog-Upload-Command': command, ...(offset !== undefined ? { 'X-Goog-Upload-Offset': String(offset) } : {}) }, ...(body !== undefined ? { body } : {}) });
    expect((await send('upload', 'hello ', 0)).headers.get('x-goog-upload-status')).toBe('active');
    expect((await send('upload', 'hello ', 0)).status).toBe(200);
    const q = await send('query');
    expect([q.headers.get('x-goog-upload-status'), q.headers.get('x-goog-upload-size-received')]).toEqual(['active', '6']);
    const fin = await send('upload, finalize', 'world', 6);
    expect([fin.status, fin.headers.get('x-goog-upload-status'), ((await fin.json()) as { size: string }).size]).toEqual([200, 'final', '11']);
    const again = await send('finalize');
    expect([again.status, ((await again.json()) as { size: string }).size]).toEqual([200, '11']);
    expect(new TextDecoder().decode(await getBytes(ref(alice, 'users/alice/resumed.txt')))).toBe('hello world');
    expect((await send('upload', 'more', 11)).status).toBe(400);
  });

  it('answers CORS preflights and exposes the upload headers to browsers', async () => {
    const origin = 'http://localhost:5173';
    const pre = await fetch(`${base}/v0/b/${BUCKET}/o?name=x`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,x-goog-upload-protocol' },
    });
    expect([pre.status, pre.headers.get('access-control-allow-origin'), pre.headers.get('access-control-allow-headers')]).toEqual([
      204,
      origin,
      'authorization,x-goog-upload-protocol',
    ]);
    const get = await fetch(`${base}/v0/b/${BUCKET}/o/x`, { headers: { Origin: origin } });
    expect(get.headers.get('access-control-allow-origin')).toBe(origin);
    expect(get.headers.get('access-control-expose-headers')).toContain('X-Goog-Upload-URL');
  });

  it("clears the named project's objects on POST and DELETE /internal/reset, and keeps them on a reset naming none", async () => {
    const size = emu.store.size();
    expect(size).toBeGreaterThan(0);
    // The server's own project (the app's) is cleared only when named.
    expect((await fetch(`${base}/internal/reset`, { method: 'POST' })).status).toBe(200);
    expect(emu.store.size()).toBe(size);
    expect((await fetch(`${base}/internal/reset?project=${PROJECT}`, { method: 'POST' })).status).toBe(200);
    expect(emu.store.size()).toBe(0);
    await uploadString(ref(owner, 'x/y'), 'z');
    expect((await fetch(`${base}/internal/reset?bucket=${BUCKET}`, { method: 'DELETE' })).status).toBe(200);
    expect((await listAll(ref(owner, 'x'))).items).toEqual([]);
  });
});

describe('without rules', () => {
  it('denies every client request with a clear message, but not the owner', async () => {
    const bare = await startStorageEmulator({ port: 0 });
    try {
      await expect(uploadString(ref(client(bare, { sub: 'alice' }), 'users/alice/x'), 'x')).rejects.toMatchObject({ code: 'storage/unauthorized' });
      const r = await fetch(`http://${bare.address}/v0/b/${BUCKET}/o/users%2Falice%2Fx`);
      expect([r.status, await r.text()]).toEqual([403, expect.stringContaining('no storage.rules loaded')]);
      await uploadString(ref(client(bare, 'owner'), 'users/alice/x'), 'x');
      expect(bare.store.get(BUCKET, 'users/alice/x')?.size).toBe(1);
    } finally {
      await bare.close();
    }
  });
});

describe('persistence', () => {
  it('keeps objects, metadata and download tokens across a restart with the same data folder', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'storage-data-'));
    const first = await startStorageEmulator({ port: 0, dataDir, authorize });
    const r1 = ref(client(first, { sub: 'alice' }), 'users/alice/kept.txt');
    await uploadString(r1, 'still here', 'raw', { contentType: 'text/plain', customMetadata: { k: 'v' } });
    const before = await getMetadata(r1);
    const url = await getDownloadURL(r1);
    await first.close();

    const second = await startStorageEmulator({ port: 0, dataDir, authorize });
    try {
      const r2 = ref(client(second, { sub: 'alice' }), 'users/alice/kept.txt');
      const after = await getMetadata(r2);
      expect(after).toMatchObject({ generation: before.generation, md5Hash: before.md5Hash, contentType: 'text/plain', customMetadata: { k: 'v' } });
      expect(new TextDecoder().decode(await getBytes(r2))).toBe('still here');
      expect(await (await fetch(url.replace(`:${first.port}/`, `:${second.port}/`))).text()).toBe('still here');
      expect((await listAll(ref(client(second, { sub: 'alice' }), 'users/alice'))).items.map((i) => i.name)).toEqual(['kept.txt']);
    } finally {
      await second.close();
    }
  });
});

describe('triggers', () => {
  it('posts finalized, metadataUpdated and deleted CloudEvents to trigger_multicast, in order', async () => {
    const fn = await startFakeFunctions();
    const s = await startStorageEmulator({ port: 0, projectId: PROJECT, authorize, functionsUrl: () => fn.url });
    try {
      const r = ref(client(s, { sub: 'alice' }), 'users/alice/t.txt');
      await uploadString(r, 'trigger me', 'raw', { contentType: 'text/plain' });
      await updateMetadata(r, { customMetadata: { seen: 'yes' } });
      await deleteObject(r);
      await s.whenTriggersIdle();
      expect(fn.received.map((e) => [e.path, e.contentType])).toEqual(
        Array(3).fill([`/functions/projects/${PROJECT}/trigger_multicast`, 'application/cloudevents+json; charset=UTF-8']),
      );
      expect(fn.received.map((e) => e.event.type)).toEqual([
        'google.cloud.storage.object.v1.finalized',
        'google.cloud.storage.object.v1.metadataUpdated',
        'google.cloud.storage.object.v1.deleted',
      ]);
      for (const { event } of fn.received) {
        expect(event).toMatchObject({ specversion: '1.0', subject: 'objects/users/alice/t.txt', bucket: BUCKET, source: `//storage.googleapis.com/projects/_/buckets/${BUCKET}` });
        expect(event.data).toMatchObject({ kind: 'storage#object', bucket: BUCKET, name: 'users/alice/t.txt', size: '10', contentType: 'text/plain' });
      }
      expect(fn.received[1]?.event.data).toMatchObject({ metageneration: '2', metadata: { seen: 'yes' } });
      expect(new Set(fn.received.map((e) => e.event.id)).size).toBe(3);
    } finally {
      await s.close();
      await fn.close();
    }
  });

  it('retries while the Functions emulator is down and delivers once it is up', async () => {
    const port = await freePort();
    const logs: { event: string; detail?: Record<string, unknown> }[] = [];
    let firstFailure: () => void = () => {};
    const failed = new Promise<void>((resolve) => (firstFailure = resolve));
    const s = await startStorageEmulator({
      port: 0,
      functionsUrl: `http://127.0.0.1:${port}`,
      triggerRetry: { maxAttempts: 50, initialDelayMs: 20 },
      log: (event, detail) => {
        logs.push({ event, ...(detail ? { detail } : {}) });
        if (event === 'storage-trigger-retry') firstFailure();
      },
    });
    let fn: FakeFunctions | undefined;
    try {
      await uploadString(ref(client(s, 'owner'), 'late.txt'), 'late');
      await failed;
      fn = await startFakeFunctions(port);
      await s.whenTriggersIdle();
      expect(fn.received.map((e) => [e.event.type, e.event.data.name])).toEqual([['google.cloud.storage.object.v1.finalized', 'late.txt']]);
      const delivered = logs.find((l) => l.event === 'storage-trigger-delivered');
      expect(delivered?.detail?.attempts).toBeGreaterThan(1);
    } finally {
      await s.close();
      await fn?.close();
    }
  });

  it('gives up after the last attempt and logs it; the write itself succeeded', async () => {
    const port = await freePort();
    const logs: string[] = [];
    const s = await startStorageEmulator({
      port: 0,
      functionsUrl: `http://127.0.0.1:${port}`,
      triggerRetry: { maxAttempts: 2, initialDelayMs: 10 },
      log: (event) => logs.push(event),
    });
    try {
      await uploadString(ref(client(s, 'owner'), 'lost.txt'), 'x');
      await s.whenTriggersIdle();
      expect(logs.filter((l) => l.startsWith('storage-trigger'))).toEqual(['storage-trigger-retry', 'storage-trigger-gave-up']);
      expect(s.store.get(BUCKET, 'lost.txt')?.size).toBe(1);
    } finally {
      await s.close();
    }
  });
});

/** An unsigned emulator ID token of this file's project, as connectStorageEmulator's mockUserToken builds one. */
function fakeJwt(sub: string): string {
  return unsignedToken(sub, PROJECT);
}

interface FakeFunctions {
  url: string;
  received: { path: string; contentType: string; event: StorageCloudEvent }[];
  close(): Promise<void>;
}

/** Stands in for the Functions emulator's trigger_multicast route: records each post and acknowledges it. */
async function startFakeFunctions(port = 0): Promise<FakeFunctions> {
  const received: FakeFunctions['received'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', event: JSON.parse(Buffer.concat(chunks).toString()) as StorageCloudEvent });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"multicast_acknowledged"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://127.0.0.1:${bound}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on (taken from the OS, then released). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const addr = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof addr === 'object' && addr ? addr.port : 0;
}

describe('request targets the URL parser refuses', () => {
  it.each(['//x:99999/', 'http://[', '/v0/b/%zz/o'])('GET %s is a 400, not a 500, and Storage keeps serving', async (target) => {
    expect(await rawGetStatus(base, target)).toBe(400);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });
});
