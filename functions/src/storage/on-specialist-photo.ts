/**
 * A specialist's public photo: when one is uploaded under public/specialists/{uid}/, the public profile points at
 * it (a download URL with a token, as the web SDK hands out); when that object is deleted, the profile loses it.
 * The upload itself was judged by storage.rules (image, < 5 MiB, own folder, profile exists).
 */
import type { Firestore } from 'firebase-admin/firestore';
import { FieldValue } from 'firebase-admin/firestore';
import { parseSpecialistPhotoPath, paths } from '@telesalud/domain';
import { logs } from '../logs';
import { errorCode, GRPC } from '../errors';

export interface StoredObject {
  bucket: string;
  name: string;
  contentType?: string | undefined;
}

export interface SpecialistPhotoDeps {
  db: Firestore;
  /** The object's token download URL (firebase-admin's getDownloadURL). */
  downloadUrl(object: StoredObject): Promise<string>;
}

/** The object name a token download URL points at (`…/o/<encoded name>?alt=media&token=…`), or null. */
function objectNameOf(url: string): string | null {
  try {
    const at = new URL(url).pathname.indexOf('/o/');
    return at < 0 ? null : decodeURIComponent(new URL(url).pathname.slice(at + 3));
  } catch {
    return null;
  }
}

/**
 * Points the profile at a newly finalized photo.
 * @returns what happened, for tests and logs
 */
export async function handleSpecialistPhotoFinalized(object: StoredObject, deps: SpecialistPhotoDeps): Promise<'linked' | 'ignored' | 'no-profile'> {
  const photo = parseSpecialistPhotoPath(object.name);
  if (!photo || !object.contentType?.startsWith('image/')) return 'ignored';
  const url = await deps.downloadUrl(object);
  try {
    await deps.db.doc(paths.specialist(photo.uid)).update({ photoUrl: url });
  } catch (e) {
    // NOT_FOUND: storage.rules require the profile, but it may have been deleted since the upload.
    if (errorCode(e) === GRPC.NOT_FOUND) {
      logs.photoWithoutProfile(photo.uid);
      return 'no-profile';
    }
    throw e;
  }
  logs.photoLinked(photo.uid);
  return 'linked';
}

/**
 * Unlinks a deleted photo from the profile, only if the profile still points at that very object.
 * @returns what happened
 */
export async function handleSpecialistPhotoDeleted(object: StoredObject, deps: Pick<SpecialistPhotoDeps, 'db'>): Promise<'unlinked' | 'ignored'> {
  const photo = parseSpecialistPhotoPath(object.name);
  if (!photo) return 'ignored';
  const ref = deps.db.doc(paths.specialist(photo.uid));
  // In a transaction: a newer upload may link another photo at the same moment.
  const unlinked = await deps.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const current: unknown = snap.get('photoUrl');
    if (typeof current !== 'string' || objectNameOf(current) !== object.name) return false;
    tx.update(ref, { photoUrl: FieldValue.delete() });
    return true;
  });
  if (!unlinked) return 'ignored';
  logs.photoUnlinked(photo.uid);
  return 'unlinked';
}
