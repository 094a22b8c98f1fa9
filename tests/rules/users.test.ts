/**
 * users/{uid}: the private profile. Owner reads and writes its own allowed fields; admins read; nobody lists or
 * deletes; roles and server fields are never client-written.
 */
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  onSnapshot,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  type Firestore,
} from 'firebase/firestore';
import { startRulesEnv, type RulesEnv } from './support/env';

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv('demo-rules-users');
});
afterAll(async () => env?.close());

const profile = () => ({
  displayName: 'Ana Pérez',
  email: 'ana@example.test',
  locale: 'es',
  requestedRole: 'patient',
  createdAt: serverTimestamp(),
});

beforeEach(async () => {
  await env.testEnv.clearFirestore();
  await env.admin(async (db) => {
    await setDoc(doc(db, 'users/ana'), {
      displayName: 'Ana Pérez',
      email: 'ana@example.test',
      locale: 'es',
      requestedRole: 'patient',
      roleStatus: 'active',
      createdAt: Timestamp.now(),
    });
  });
});

const as = (uid: string, claims: Record<string, unknown> = {}): Firestore => env.as(uid, claims);

/** Resolves when a listener is refused, rejects if it delivers data. */
function listenerDenied(db: Firestore, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = onSnapshot(
      doc(db, path),
      () => {
        stop();
        reject(new Error(`listener on ${path} received data`));
      },
      (e) => (e.code === 'permission-denied' ? resolve() : reject(e)),
    );
  });
}

describe('anonymous', () => {
  const anon = () => env.anon();
  it('cannot read, list or create profiles', async () => {
    await assertFails(getDoc(doc(anon(), 'users/ana')));
    await assertFails(getDocs(collection(anon(), 'users')));
    await assertFails(setDoc(doc(anon(), 'users/ghost'), profile()));
  });
});

describe('owner', () => {
  it('reads its own profile, also live', async () => {
    await assertSucceeds(getDoc(doc(as('ana'), 'users/ana')));
    await assertSucceeds(getDoc(doc(as('nuevo'), 'users/nuevo')));
  });

  it('creates its profile with exactly the allowed keys and createdAt = request.time', async () => {
    await assertSucceeds(setDoc(doc(as('nuevo'), 'users/nuevo'), profile()));
  });

  it('may ask to be reviewed as a specialist, never for another role', async () => {
    await assertSucceeds(setDoc(doc(as('medico'), 'users/medico'), { ...profile(), requestedRole: 'specialist' }));
    for (const role of ['staff', 'admin', 'superuser'])
      await assertFails(setDoc(doc(as(`x-${role}`), `users/x-${role}`), { ...profile(), requestedRole: role }));
  });

  it('is denied each extra or server-owned key on create', async () => {
    for (const extra of [
      { roles: ['admin'] },
      { roleStatus: 'active' },
      { claimsSyncedAt: serverTimestamp() },
      { clinicId: 'c1' },
    ]) {
      await assertFails(setDoc(doc(as('nuevo'), 'users/nuevo'), { ...profile(), ...extra }));
    }
  });

  it('is denied a client clock createdAt, wrong types and over-long strings', async () => {
    await assertFails(
      setDoc(doc(as('nuevo'), 'users/nuevo'), { ...profile(), createdAt: Timestamp.fromMillis(Date.now() - 60_000) }),
    );
    await assertFails(setDoc(doc(as('nuevo'), 'users/nuevo'), { ...profile(), displayName: 42 }));
    await assertFails(setDoc(doc(as('nuevo'), 'users/nuevo'), { ...profile(), displayName: '' }));
    await assertFails(setDoc(doc(as('nuevo'), 'users/nuevo'), { ...profile(), displayName: 'x'.repeat(121) }));
    await assertFails(setDoc(doc(as('nuevo'), 'users/nuevo'), { ...profile(), email: `${'x'.repeat(250)}@a.co` }));
    await assertFails(setDoc(doc(as('nuevo'), 'users/nuevo'), { ...profile(), phone: '1'.repeat(33) }));
    await assertFails(setDoc(doc(as('nuevo'), 'users/nuevo'), { ...profile(), locale: 'fr' }));
  });

  it('updates only displayName, phone, locale and timeZone', async () => {
    const db = as('ana');
    await assertSucceeds(
      updateDoc(doc(db, 'users/ana'), { displayName: 'Ana M. Pérez', phone: '+57 300 000 0000', locale: 'en' }),
    );
    await assertFails(updateDoc(doc(db, 'users/ana'), { requestedRole: 'specialist' }));
    await assertFails(updateDoc(doc(db, 'users/ana'), { roleStatus: 'pending_review' }));
    await assertFails(updateDoc(doc(db, 'users/ana'), { email: 'otra@example.test' }));
    await assertFails(updateDoc(doc(db, 'users/ana'), { displayName: 'x'.repeat(121) }));
  });

  it('cannot delete its profile or list users', async () => {
    await assertFails(deleteDoc(doc(as('ana'), 'users/ana')));
    await assertFails(getDocs(collection(as('ana'), 'users')));
  });
});

describe('another patient', () => {
  it("cannot read (even live), create or update someone else's profile", async () => {
    const db = as('beto', { roles: ['patient'] });
    await assertFails(getDoc(doc(db, 'users/ana')));
    await listenerDenied(db, 'users/ana');
    await assertFails(setDoc(doc(db, 'users/carla'), profile()));
    await assertFails(updateDoc(doc(db, 'users/ana'), { displayName: 'Hacked' }));
  });
});

describe('admin', () => {
  it('reads any profile but cannot edit it from the client', async () => {
    const db = as('root', { roles: ['admin'] });
    await assertSucceeds(getDoc(doc(db, 'users/ana')));
    await assertFails(updateDoc(doc(db, 'users/ana'), { displayName: 'Changed by admin' }));
    await assertFails(deleteDoc(doc(db, 'users/ana')));
  });
});
