/**
 * Resumable uploads hold their bytes in memory until finalized, so the Storage emulator judges the rules when a
 * session starts (with the metadata and the size declared at start, as Firebase does), never holds more than the
 * declared size, and bounds the sessions and bytes of each client and of everyone together. Driven with raw HTTP, as
 * a hostile client would, and with the web SDK for the honest path.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectStorageEmulator, getBytes, getStorage, ref, uploadBytesResumable } from 'firebase/storage';
import { startStorageEmulator, type RunningStorage, type StorageAuthRequest } from '../src/storage';
import { unsignedToken } from './support/raw-grpc';

const BUCKET = 'demo-uploads.appspot.com';
const MiB = 1024 * 1024;

/** The test's rules: a user writes under users/{uid}/; small/ takes at most 1 MiB, big/ anything. */
const asked: StorageAuthRequest[] = [];
const authorize = async (q: StorageAuthRequest): Promise<boolean> => {
  asked.push(q);
  const uid = q.ctx.auth?.uid;
  if (!uid || !q.path.startsWith(`users/${uid}/`)) return false;
  if (q.path.startsWith(`users/${uid}/small/`)) return (q.requestResource?.size ?? 0) <= MiB;
  return true;
};

const fakeJwt = (sub: string) => unsignedToken(sub, 'demo-uploads');

let emu: RunningStorage;
let base: string;
let app: FirebaseApp;

beforeAll(async () => {
  emu = await startStorageEmulator({ port: 0, projectId: 'demo-uploads', authorize });
  base = `http://${emu.address}`;
});

afterAll(async () => {
  if (app) await deleteApp(app);
  await emu.close();
});

beforeEach(async () => {
  asked.length = 0;
  // Forgets every object and every open session of the project.
  expect((await fetch(`${base}/internal/reset?project=demo-uploads`, { method: 'POST' })).status).toBe(200);
});

/** Starts a resumable upload the way the web SDK does; `size` goes in X-Goog-Upload-Header-Content-Length. */
function start(name: string, opts: { uid?: string; size?: number; body?: string } = {}): Promise<Response> {
  return fetch(`${base}/v0/b/${BUCKET}/o?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: {
      ...(opts.uid ? { Authorization: `Firebase ${fakeJwt(opts.uid)}` } : {}),
      'X-Goog-Upload-Protocol': 'resumable',
      'X-Goog-Upload-Command': 'start',
      ...(opts.size !== undefined ? { 'X-Goog-Upload-Header-Content-Length': String(opts.size) } : {}),
      'X-Goog-Upload-Header-Content-Type': 'application/octet-stream',
      'Content-Type': 'application/json',
    },
    body: opts.body ?? JSON.stringify({ name, contentType: 'application/octet-stream' }),
  });
}

/** Status and message of an answer in the GCS error shape. */
async function failure(r: Response): Promise<[number, string]> {
  const body = (await r.json()) as { error: { message: string } };
  return [r.status, body.error.message];
}

describe('the rules judge a resumable upload when it starts', () => {
  it('refuses anonymous sessions at start, before any byte is sent, with the declared size in request.resource', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await start(`users/alice/big/${i}.bin`, { size: 64 * MiB });
      expect((await failure(r))[0]).toBe(403);
      expect(r.headers.get('x-goog-upload-url')).toBeNull();
    }
    expect(asked.map((q) => [q.method, q.requestResource?.size, q.ctx.auth])).toEqual([
      ['create', 64 * MiB, null],
      ['create', 64 * MiB, null],
      ['create', 64 * MiB, null],
    ]);
  });

  it('judges the declared size: a signed-in user over the rules size limit is refused at start', async () => {
    expect((await start('users/alice/small/a.bin', { uid: 'alice', size: 2 * MiB })).status).toBe(403);
    expect((await start('users/alice/small/a.bin', { uid: 'alice', size: MiB })).status).toBe(200);
  });

  it('needs a declared size from clients, and refuses one over the object limit with 413', async () => {
    const none = await start('users/alice/big/a.bin', { uid: 'alice' });
    expect(await failure(none)).toEqual([400, expect.stringContaining('X-Goog-Upload-Header-Content-Length')]);
    expect((await failure(await start('users/alice/big/a.bin', { uid: 'alice', size: 257 * MiB })))[0]).toBe(413);
    expect(asked).toHaveLength(0);
  });

  it('refuses a metadata body over 1 MiB with 413', async () => {
    const huge = JSON.stringify({ name: 'users/alice/big/a.bin', metadata: { pad: 'x'.repeat(2 * MiB) } });
    expect((await failure(await start('users/alice/big/a.bin', { uid: 'alice', size: 10, body: huge })))[0]).toBe(413);
  });
});

describe('a session holds no more than it declared', () => {
  it('refuses a chunk past the declared size with 413, then finishes the honest upload', async () => {
    const s = await start('users/alice/big/ten.bin', { uid: 'alice', size: 10 });
    const url = s.headers.get('x-goog-upload-url') ?? '';
    const send = (command: string, body: string, offset: number) =>
      fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Firebase ${fakeJwt('alice')}`,
          'X-Goog-Upload-Command': command,
          'X-Goog-Upload-Offset': String(offset),
        },
        body,
      });
    const over = await send('upload', 'x'.repeat(20), 0);
    expect(await failure(over)).toEqual([413, expect.stringContaining('declared 10 bytes')]);
    const fin = await send('upload, finalize', '0123456789', 0);
    expect([fin.status, ((await fin.json()) as { size: string }).size]).toEqual([200, '10']);
  });
});

describe('sessions and bytes are bounded per client and in total', () => {
  it('allows 8 open sessions per client; the 9th is 429 until one is cancelled', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await start(`users/alice/big/${i}.bin`, { uid: 'alice', size: 1 });
      expect(r.status).toBe(200);
      urls.push(r.headers.get('x-goog-upload-url') ?? '');
    }
    const ninth = await start('users/alice/big/8.bin', { uid: 'alice', size: 1 });
    expect(await failure(ninth)).toEqual([429, expect.stringContaining('for this client')]);
    // Another user is not affected.
    expect((await start('users/bob/big/0.bin', { uid: 'bob', size: 1 })).status).toBe(200);
    const cancel = await fetch(urls[0] ?? '', {
      method: 'POST',
      headers: { Authorization: `Firebase ${fakeJwt('alice')}`, 'X-Goog-Upload-Command': 'cancel' },
    });
    expect(cancel.status).toBe(200);
    expect((await start('users/alice/big/8.bin', { uid: 'alice', size: 1 })).status).toBe(200);
  });

  it('counts declared bytes: 256 MiB per client and 512 MiB in total, before any byte arrives', async () => {
    expect((await start('users/alice/big/a.bin', { uid: 'alice', size: 200 * MiB })).status).toBe(200);
    const more = await start('users/alice/big/b.bin', { uid: 'alice', size: 100 * MiB });
    expect(await failure(more)).toEqual([429, expect.stringContaining('for this client')]);
    expect((await start('users/bob/big/a.bin', { uid: 'bob', size: 200 * MiB })).status).toBe(200);
    const carol = await start('users/carol/big/a.bin', { uid: 'carol', size: 200 * MiB });
    expect(await failure(carol)).toEqual([429, expect.stringContaining('in the emulator')]);
    expect((await start('users/carol/big/a.bin', { uid: 'carol', size: 100 * MiB })).status).toBe(200);
  });

  it('lets an honest web SDK client upload resumably as before', async () => {
    app = initializeApp({ projectId: 'demo-uploads', storageBucket: BUCKET }, 'storage-uploads-test');
    const storage = getStorage(app);
    connectStorageEmulator(storage, emu.host, emu.port, { mockUserToken: { sub: 'alice' } });
    const data = new Uint8Array(600 * 1024).map((_, i) => i % 251);
    const r = ref(storage, 'users/alice/small/photo.bin');
    const done = await uploadBytesResumable(r, data);
    expect(done.metadata.size).toBe(data.length);
    expect(new Uint8Array(await getBytes(r))).toEqual(data);
    // Judged at start with the declared size, and again at finalize with the bytes.
    const writes = asked.filter((q) => q.path === 'users/alice/small/photo.bin' && q.method === 'create');
    expect(writes.map((q) => [q.requestResource?.size, q.requestResource?.md5Hash === ''])).toEqual([
      [data.length, true],
      [data.length, false],
    ]);
  });
});
