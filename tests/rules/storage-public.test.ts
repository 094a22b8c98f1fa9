/**
 * storage: public/specialists/{uid}/{fileName}, the specialists' public photos. Anyone reads; only the specialist
 * whose profile exists in Firestore uploads a JPEG/PNG/WebP under 5 MiB (storage.rules asks firestore.exists()).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import { doc, setDoc } from 'firebase/firestore';
import {
  deleteObject,
  getBytes,
  getDownloadURL,
  getMetadata,
  listAll,
  ref,
  updateMetadata,
  uploadBytes,
} from 'firebase/storage';
import { startRulesEnv, type RulesEnv } from './support/env';

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv('demo-rules-storage');
});
afterAll(async () => env?.close());

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const photo = 'public/specialists/dra-lopez/perfil.png';

beforeEach(async () => {
  await env.testEnv.clearFirestore();
  await env.testEnv.clearStorage();
  await env.admin(async (db, storage) => {
    await setDoc(doc(db, 'specialists/dra-lopez'), { displayName: 'Dra. López', status: 'approved' });
    await uploadBytes(ref(storage, photo), PNG, { contentType: 'image/png' });
    await uploadBytes(ref(storage, 'private/notes.txt'), new TextEncoder().encode('x'), { contentType: 'text/plain' });
  });
});

describe('anonymous', () => {
  it('reads a public photo and its download URL, writes nothing, sees nothing else', async () => {
    const s = env.anonStorage();
    const bytes = await assertSucceeds(getBytes(ref(s, photo)));
    expect(new Uint8Array(bytes)).toEqual(PNG);
    await assertSucceeds(getDownloadURL(ref(s, photo)));
    await assertFails(uploadBytes(ref(s, 'public/specialists/dra-lopez/otra.png'), PNG, { contentType: 'image/png' }));
    await assertFails(deleteObject(ref(s, photo)));
    await assertFails(getMetadata(ref(s, 'private/notes.txt')));
  });
});

describe('the specialist', () => {
  const me = () => env.storageAs('dra-lopez', { roles: ['specialist'] });

  it('uploads, replaces and deletes an image under its own folder', async () => {
    await assertSucceeds(
      uploadBytes(ref(me(), 'public/specialists/dra-lopez/nueva.webp'), PNG, { contentType: 'image/webp' }),
    );
    await assertSucceeds(uploadBytes(ref(me(), photo), PNG, { contentType: 'image/jpeg' }));
    await assertSucceeds(deleteObject(ref(me(), photo)));
  });

  it('is denied other content types, 5 MiB or more, and metadata that turns the file into another type', async () => {
    await assertFails(
      uploadBytes(ref(me(), 'public/specialists/dra-lopez/cv.pdf'), PNG, { contentType: 'application/pdf' }),
    );
    await assertFails(
      uploadBytes(ref(me(), 'public/specialists/dra-lopez/x.svg'), PNG, { contentType: 'image/svg+xml' }),
    );
    await assertFails(
      uploadBytes(ref(me(), 'public/specialists/dra-lopez/big.png'), new Uint8Array(5 * 1024 * 1024), {
        contentType: 'image/png',
      }),
    );
    await assertFails(updateMetadata(ref(me(), photo), { contentType: 'text/html' }));
  });

  it("cannot write into another specialist's folder or list folders", async () => {
    await assertFails(
      uploadBytes(ref(me(), 'public/specialists/dr-ruiz/perfil.png'), PNG, { contentType: 'image/png' }),
    );
    await assertFails(listAll(ref(me(), 'public/specialists/dra-lopez')));
  });
});

describe('a signed-in user without a specialist profile (firestore.exists in storage.rules)', () => {
  it('cannot upload a photo even under its own uid', async () => {
    const s = env.storageAs('paciente', { roles: ['patient'] });
    await assertFails(uploadBytes(ref(s, 'public/specialists/paciente/perfil.png'), PNG, { contentType: 'image/png' }));
  });

  it('can, once a specialist profile exists, with no new token', async () => {
    const s = env.storageAs('nuevo', { roles: ['patient'] });
    await assertFails(uploadBytes(ref(s, 'public/specialists/nuevo/perfil.png'), PNG, { contentType: 'image/png' }));
    await env.admin(async (db) => {
      await setDoc(doc(db, 'specialists/nuevo'), { displayName: 'Dr. Nuevo', status: 'pending_review' });
    });
    await assertSucceeds(uploadBytes(ref(s, 'public/specialists/nuevo/perfil.png'), PNG, { contentType: 'image/png' }));
  });
});
