/**
 * specialists/{uid} and its offices and reviews: public only once approved; queries must say `status == 'approved'`
 * (rules are not filters); nothing is client-written.
 */
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import {
  collection,
  collectionGroup,
  doc,
  getDoc,
  getDocs,
  limit,
  orderBy,
  query,
  setDoc,
  updateDoc,
  where,
  type Firestore,
} from 'firebase/firestore';
import { startRulesEnv, type RulesEnv } from './support/env';

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv('demo-rules-specialists');
});
afterAll(async () => env?.close());

beforeEach(async () => {
  await env.testEnv.clearFirestore();
  await env.admin(async (db) => {
    await setDoc(doc(db, 'specialists/aprobada'), {
      displayName: 'Dra. Aprobada',
      status: 'approved',
      specialties: ['cardiology'],
    });
    await setDoc(doc(db, 'specialists/pendiente'), {
      displayName: 'Dr. Pendiente',
      status: 'pending_review',
      specialties: ['dermatology'],
    });
    await setDoc(doc(db, 'specialists/aprobada/offices/bogota'), { city: 'Bogotá' });
    await setDoc(doc(db, 'specialists/pendiente/offices/medellin'), { city: 'Medellín' });
    await setDoc(doc(db, 'specialists/aprobada/reviews/r1'), { rating: 5 });
    await setDoc(doc(db, 'specialists/pendiente/reviews/r2'), { rating: 4 });
  });
});

const approvedQuery = (db: Firestore) => query(collection(db, 'specialists'), where('status', '==', 'approved'));

const visitors: [string, () => Firestore][] = [
  ['anonymous', () => env.anon()],
  ['a patient', () => env.as('ana', { roles: ['patient'] })],
];

for (const [who, db] of visitors) {
  describe(who, () => {
    it('reads an approved profile, its offices and reviews', async () => {
      await assertSucceeds(getDoc(doc(db(), 'specialists/aprobada')));
      await assertSucceeds(getDocs(collection(db(), 'specialists/aprobada/offices')));
      await assertSucceeds(getDocs(collection(db(), 'specialists/aprobada/reviews')));
    });

    it('cannot see a profile under review, nor its offices or reviews', async () => {
      await assertFails(getDoc(doc(db(), 'specialists/pendiente')));
      await assertFails(getDocs(collection(db(), 'specialists/pendiente/offices')));
      await assertFails(getDoc(doc(db(), 'specialists/pendiente/reviews/r2')));
    });

    it("lists with the app's query (status == 'approved'), never without it", async () => {
      await assertSucceeds(getDocs(approvedQuery(db())));
      await assertSucceeds(
        getDocs(
          query(
            approvedQuery(db()),
            where('specialties', 'array-contains', 'cardiology'),
            orderBy('displayName'),
            limit(20),
          ),
        ),
      );
      await assertFails(getDocs(collection(db(), 'specialists')));
      await assertFails(
        getDocs(query(collection(db(), 'specialists'), where('specialties', 'array-contains', 'cardiology'))),
      );
      await assertFails(
        getDocs(query(collection(db(), 'specialists'), where('status', 'in', ['approved', 'pending_review']))),
      );
      await assertFails(getDocs(query(collection(db(), 'specialists'), where('status', '!=', 'rejected'))));
    });

    it('cannot query offices or reviews across all specialists', async () => {
      await assertFails(getDocs(collectionGroup(db(), 'offices')));
      await assertFails(getDocs(collectionGroup(db(), 'reviews')));
    });
  });
}

describe('the specialist', () => {
  const me = () => env.as('pendiente', { roles: ['patient'] });
  it('reads its own profile and offices while under review', async () => {
    await assertSucceeds(getDoc(doc(me(), 'specialists/pendiente')));
    await assertSucceeds(getDocs(collection(me(), 'specialists/pendiente/offices')));
  });
  it('cannot approve itself or edit the public profile from the client', async () => {
    await assertFails(updateDoc(doc(me(), 'specialists/pendiente'), { status: 'approved' }));
    await assertFails(setDoc(doc(me(), 'specialists/pendiente/offices/nueva'), { city: 'Cali' }));
    await assertFails(setDoc(doc(me(), 'specialists/pendiente/reviews/fake'), { rating: 5 }));
  });
});

describe('admin', () => {
  it('reads profiles under review to approve them (approval itself goes through a function)', async () => {
    const db = env.as('root', { roles: ['admin'] });
    await assertSucceeds(getDoc(doc(db, 'specialists/pendiente')));
    await assertFails(updateDoc(doc(db, 'specialists/pendiente'), { status: 'approved' }));
  });
});
