/** Named, structured log events. No PHI and no secrets: ids and outcomes only. */
import { logger } from 'firebase-functions/v2';

export const logs = {
  claimsGranted: (uid: string, roles: readonly string[]) => logger.info('claims-granted', { uid, roles }),
  claimsPendingReview: (uid: string, requestedRole: string) => logger.info('claims-pending-review', { uid, requestedRole }),
  profileInvalid: (uid: string, reason: string) => logger.warn('profile-invalid', { uid, reason }),
  photoLinked: (uid: string) => logger.info('specialist-photo-linked', { uid }),
  photoUnlinked: (uid: string) => logger.info('specialist-photo-unlinked', { uid }),
  photoWithoutProfile: (uid: string) => logger.warn('specialist-photo-without-profile', { uid }),
};
