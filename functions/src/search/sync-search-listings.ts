/**
 * Keeps searchListings in step with a specialist's profile and offices. Both triggers (a profile written, an office
 * written) call the same convergent sync: it reads the current profile, offices and listings inside one transaction
 * and writes the difference, so events arriving late, twice or out of order all end in the same listings. A profile
 * that breaks its schema is not listed (and is logged): search must never show what the profile page cannot.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Firestore } from 'firebase-admin/firestore';
import { officeSchema, paths, searchListingsFor, specialistSchema, type Office, type Specialist } from '@telesalud/domain';
import { logs } from '../logs';

/** What one sync changed, for tests and logs. */
export interface ListingSync {
  written: number;
  deleted: number;
  unchanged: number;
}

/**
 * Recomputes the listings of one specialist.
 * @param db - the admin Firestore
 * @param uid - the specialist whose profile or office was written
 */
export async function syncSearchListings(db: Firestore, uid: string): Promise<ListingSync> {
  const result = await db.runTransaction(async (tx) => {
    const [profileSnap, officeSnaps, listingSnaps] = await Promise.all([
      tx.get(db.doc(paths.specialist(uid))),
      tx.get(db.collection(paths.offices(uid))),
      tx.get(db.collection(paths.searchListings()).where('specialistUid', '==', uid)),
    ]);
    let profile: Specialist | null = null;
    if (profileSnap.exists) {
      const parsed = specialistSchema.safeParse(profileSnap.data());
      if (parsed.success) profile = parsed.data;
      else logs.listingSourceInvalid(profileSnap.ref.path);
    }
    const offices: { id: string; office: Office }[] = [];
    for (const snap of officeSnaps.docs) {
      const parsed = officeSchema.safeParse(snap.data());
      if (parsed.success) offices.push({ id: snap.id, office: parsed.data });
      else logs.listingSourceInvalid(snap.ref.path);
    }
    const wanted = new Map(searchListingsFor(uid, profile, offices).map((l) => [l.id, l.listing]));
    const sync: ListingSync = { written: 0, deleted: 0, unchanged: 0 };
    const stored = new Map(listingSnaps.docs.map((s) => [s.id, s]));
    for (const [id, snap] of stored) {
      if (!wanted.has(id)) {
        tx.delete(snap.ref);
        sync.deleted++;
      }
    }
    for (const [id, listing] of wanted) {
      if (isDeepStrictEqual(stored.get(id)?.data(), listing)) {
        sync.unchanged++;
        continue;
      }
      tx.set(db.doc(paths.searchListing(id)), listing);
      sync.written++;
    }
    return sync;
  });
  if (result.written + result.deleted > 0) logs.listingsSynced(uid, result.written, result.deleted);
  return result;
}
