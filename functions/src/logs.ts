/** Named, structured log events. No PHI and no secrets: ids and outcomes only. */
import { logger } from 'firebase-functions/v2';

export const logs = {
  claimsGranted: (uid: string, roles: readonly string[]) => logger.info('claims-granted', { uid, roles }),
  claimsPendingReview: (uid: string, requestedRole: string) => logger.info('claims-pending-review', { uid, requestedRole }),
  profileInvalid: (uid: string, reason: string) => logger.warn('profile-invalid', { uid, reason }),
  callableDenied: (name: string, uid: string | null, reason: string, requestId: string) => logger.warn('callable-denied', { name, uid, reason, requestId }),
  callableFailed: (name: string, requestId: string, error: unknown) =>
    logger.error('callable-failed', { name, requestId, error: error instanceof Error ? error.message : String(error) }),
  claimsSynced: (uid: string, roles: readonly string[], clinicCount: number) => logger.info('claims-synced', { uid, roles, clinicCount }),
  claimsSyncFailed: (uid: string, requestId: string, error: unknown) =>
    logger.error('claims-sync-failed', { uid, requestId, error: error instanceof Error ? error.message : String(error) }),
  grantInvalid: (path: string, fields: string) => logger.error('grant-invalid', { path, fields }),
  membershipSet: (clinicId: string, uid: string, outcome: string, requestId: string) => logger.info('membership-set', { clinicId, uid, outcome, requestId }),
  portalGranted: (clinicId: string, patientUid: string, outcome: string, requestId: string) =>
    logger.info('portal-granted', { clinicId, patientUid, outcome, requestId }),
  portalRevoked: (clinicId: string, patientUid: string, outcome: string, requestId: string) =>
    logger.info('portal-revoked', { clinicId, patientUid, outcome, requestId }),
  specialistReviewed: (uid: string, from: string, to: string, membershipsRevoked: number, requestId: string) =>
    logger.info('specialist-reviewed', { uid, from, to, membershipsRevoked, requestId }),
  questionnaireSaved: (clinicId: string, questionnaireId: string, version: number, requestId: string) =>
    logger.info('questionnaire-saved', { clinicId, questionnaireId, version, requestId }),
  photoLinked: (uid: string) => logger.info('specialist-photo-linked', { uid }),
  photoUnlinked: (uid: string) => logger.info('specialist-photo-unlinked', { uid }),
  photoWithoutProfile: (uid: string) => logger.warn('specialist-photo-without-profile', { uid }),
  appointmentBooked: (appointmentId: string, specialistUid: string, status: string, replayed: boolean, requestId: string) =>
    logger.info('appointment-booked', { appointmentId, specialistUid, status, replayed, requestId }),
  appointmentCancelled: (appointmentId: string, role: string, reason: string, replayed: boolean, requestId: string) =>
    logger.info('appointment-cancelled', { appointmentId, role, reason, replayed, requestId }),
  appointmentRescheduled: (appointmentId: string, role: string, replayed: boolean, requestId: string) =>
    logger.info('appointment-rescheduled', { appointmentId, role, replayed, requestId }),
  appointmentExpired: (appointmentId: string, via: 'job' | 'booking') => logger.info('appointment-expired-unpaid', { appointmentId, via }),
  appointmentExpiryFailed: (appointmentId: string, error: unknown) =>
    logger.error('appointment-expiry-failed', { appointmentId, error: error instanceof Error ? error.message : String(error) }),
  unpaidSweep: (expired: number, skipped: number, failed: number, batches: number) => logger.info('unpaid-sweep', { expired, skipped, failed, batches }),
  downloadTokensStripped: (folder: string) => logger.info('download-tokens-stripped', { folder }),
  documentRegistered: (documentPath: string, notified: boolean, requestId: string) => logger.info('document-registered', { documentPath, notified, requestId }),
  documentOpened: (documentPath: string, uid: string, requestId: string) => logger.info('document-opened', { documentPath, uid, requestId }),
  documentOpenRefused: (status: number, reason: string, uid: string | null, requestId: string) =>
    logger.warn('document-open-refused', { status, reason, uid, requestId }),
  documentOpenFailed: (requestId: string, error: unknown) =>
    logger.error('document-open-failed', { requestId, error: error instanceof Error ? error.message : String(error) }),
  listingsSynced: (uid: string, written: number, deleted: number) => logger.info('search-listings-synced', { uid, written, deleted }),
  listingSourceInvalid: (path: string) => logger.error('search-listing-source-invalid', { path }),
};
