/** users/{uid}: the signed-in user's private profile. The only place the app touches this collection. */
import {
  doc,
  onSnapshot,
  serverTimestamp,
  setDoc,
  type DocumentData,
  type FirestoreDataConverter,
  type QueryDocumentSnapshot,
} from 'firebase/firestore';
import { parseDocument, paths, userProfileSchema, type Locale } from '@telesalud/domain';
import { firebase } from '../plugins/firebase';

/** The profile as the app uses it: dates are Dates. */
export interface Profile {
  displayName: string;
  email: string;
  phone?: string;
  locale: Locale;
  requestedRole: 'patient' | 'specialist';
  roleStatus?: 'active' | 'pending_review';
  claimsSyncedAt?: Date;
}

const converter: FirestoreDataConverter<Profile, DocumentData> = {
  toFirestore: (p) => p,
  fromFirestore(snap: QueryDocumentSnapshot): Profile {
    // The domain schema is the contract; a pending server timestamp reads as the local estimate, not null.
    const stored = parseDocument(userProfileSchema, { data: () => snap.data({ serverTimestamps: 'estimate' }), ref: snap.ref });
    return {
      displayName: stored.displayName,
      email: stored.email,
      ...(stored.phone !== undefined ? { phone: stored.phone } : {}),
      locale: stored.locale,
      requestedRole: stored.requestedRole,
      ...(stored.roleStatus !== undefined ? { roleStatus: stored.roleStatus } : {}),
      ...(stored.claimsSyncedAt !== undefined ? { claimsSyncedAt: stored.claimsSyncedAt.toDate() } : {}),
    };
  },
};

function profileRef(uid: string) {
  return doc(firebase().db, paths.user(uid)).withConverter(converter);
}

/** Creates the profile of a new account (rules allow exactly these keys, with createdAt = request.time). */
export async function createProfile(uid: string, p: { displayName: string; email: string; phone?: string; locale: Locale }): Promise<void> {
  await setDoc(doc(firebase().db, paths.user(uid)), { ...p, requestedRole: 'patient', createdAt: serverTimestamp() });
}

/** Follows the profile live; returns the unsubscribe function. */
export function watchProfile(uid: string, next: (p: Profile | null) => void, error: (e: Error) => void): () => void {
  return onSnapshot(profileRef(uid), (s) => next(s.exists() ? s.data() : null), error);
}
