/**
 * When a user profile is created, grant the roles a user may hold without review. A patient is a patient at once;
 * a specialist stays without the role until an admin approves the onboarding (roles are never self-granted).
 */
import type { Auth } from 'firebase-admin/auth';
import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { logs } from '../logs';

export interface UserCreatedDeps {
  auth: Auth;
  db: Firestore;
}

/**
 * Plain handler, testable without the Functions runtime.
 * @param uid - the profile's document id (the Firebase Auth uid)
 * @param profile - the created profile's data
 */
export async function handleUserCreated(uid: string, profile: Record<string, unknown>, deps: UserCreatedDeps): Promise<'granted' | 'pending' | 'ignored'> {
  const requested = profile.requestedRole;
  if (requested !== 'patient' && requested !== 'specialist') {
    logs.profileInvalid(uid, 'unknown requestedRole');
    return 'ignored';
  }
  const ref = deps.db.doc(`users/${uid}`);
  if (requested === 'specialist') {
    logs.claimsPendingReview(uid, requested);
    await ref.update({ roleStatus: 'pending_review', claimsSyncedAt: FieldValue.serverTimestamp() });
    return 'pending';
  }
  const user = await deps.auth.getUser(uid);
  const current = Array.isArray(user.customClaims?.roles) ? (user.customClaims.roles as string[]) : [];
  const roles = [...new Set([...current, 'patient'])];
  await deps.auth.setCustomUserClaims(uid, { ...user.customClaims, roles });
  // The app waits for this marker, then refreshes its ID token to pick up the new claims.
  await ref.update({ roleStatus: 'active', claimsSyncedAt: FieldValue.serverTimestamp() });
  logs.claimsGranted(uid, roles);
  return 'granted';
}
