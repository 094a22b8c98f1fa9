/**
 * Storage on the local stack: a signed-in specialist uploads a photo with the web SDK, storage.rules judge it (with a
 * firestore.exists() lookup), the real Functions emulator runs storageOnObjectFinalized and the public profile gets a
 * download URL that serves the same bytes; deleting the photo unlinks it. A patient's upload is refused.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectStorageEmulator, deleteObject, getStorage, ref, uploadBytes, type FirebaseStorage } from 'firebase/storage';
import { startStack, PROJECT_ID, type Stack } from '../../scripts/stack';
import { DEMO_PASSWORD } from '../../scripts/seed-data';

const ports = { firestore: 48080, storage: 49199, auth: 49099, functions: 45001, hub: 44400, logging: 44500 };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let stack: Stack;
const apps: FirebaseApp[] = [];

async function storageOf(email: string): Promise<FirebaseStorage> {
  const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-api-key', storageBucket: `${PROJECT_ID}.appspot.com` }, `storage-${apps.length}`);
  apps.push(app);
  const auth = getAuth(app);
  connectAuthEmulator(auth, stack.urls.auth, { disableWarnings: true });
  await signInWithEmailAndPassword(auth, email, DEMO_PASSWORD);
  const storage = getStorage(app);
  connectStorageEmulator(storage, '127.0.0.1', ports.storage);
  return storage;
}

/** The specialist's public profile as the admin sees it (REST with the emulator's owner token). */
async function photoUrlOf(uid: string): Promise<string | undefined> {
  const r = await fetch(`${stack.urls.firestore}/v1/projects/${PROJECT_ID}/databases/(default)/documents/specialists/${uid}`, {
    headers: { Authorization: 'Bearer owner' },
  });
  const body = (await r.json()) as { fields?: { photoUrl?: { stringValue?: string } } };
  return body.fields?.photoUrl?.stringValue;
}

beforeAll(async () => {
  stack = await startStack({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'stack-storage-')), seed: true, quiet: true, ports });
}, 180_000);

afterAll(async () => {
  await Promise.all(apps.map((a) => deleteApp(a)));
  await stack?.stop();
});

describe('specialist photo through storage.rules and the Functions emulator', () => {
  it('links an uploaded photo to the public profile, serves its bytes, and unlinks it on delete', async () => {
    const storage = await storageOf('especialista@demo.telesalud.test');
    const photo = ref(storage, 'public/specialists/esp-valentina-rojas/perfil.png');
    await uploadBytes(photo, PNG, { contentType: 'image/png' });

    await expect.poll(() => photoUrlOf('esp-valentina-rojas'), { timeout: 30_000, interval: 250 }).toMatch(/perfil\.png\?alt=media&token=/);
    const url = await photoUrlOf('esp-valentina-rojas');
    if (!url) throw new Error('no photoUrl');
    // The token URL reads without any sign-in, as on Firebase.
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);

    await deleteObject(photo);
    await expect.poll(() => photoUrlOf('esp-valentina-rojas'), { timeout: 30_000, interval: 250 }).toBeUndefined();
  });

  it('refuses a patient who has no specialist profile', async () => {
    const storage = await storageOf('paciente@demo.telesalud.test');
    await expect(uploadBytes(ref(storage, 'public/specialists/x/perfil.png'), PNG, { contentType: 'image/png' })).rejects.toMatchObject({
      code: 'storage/unauthorized',
    });
  });
});
