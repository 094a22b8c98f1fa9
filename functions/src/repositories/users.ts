/** Admin-SDK access to Firebase Auth users. */
import type { Auth, UserRecord } from 'firebase-admin/auth';
import { HttpsError } from 'firebase-functions/v2/https';
import { errorCode } from '../errors';

/**
 * The Auth user, or null when there is no such account.
 * @param auth - admin Auth
 * @param uid - the account
 */
export async function authUserOrNull(auth: Auth, uid: string): Promise<UserRecord | null> {
  try {
    return await auth.getUser(uid);
  } catch (e) {
    if (errorCode(e) === 'auth/user-not-found') return null;
    throw e;
  }
}

/**
 * The Auth user a callable acts on; a missing account answers not-found.
 * @param auth - admin Auth
 * @param uid - the account named in the request
 */
export async function requireAuthUser(auth: Auth, uid: string): Promise<UserRecord> {
  const user = await authUserOrNull(auth, uid);
  if (!user) throw new HttpsError('not-found', 'There is no such user.', { reason: 'no-user' });
  return user;
}
