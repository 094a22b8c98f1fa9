/** Wiring only: every export is a deployed function; logic lives in the files it imports. */
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { onDocumentCreated, onDocumentWritten } from 'firebase-functions/v2/firestore';
import { onRequest } from 'firebase-functions/v2/https';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onObjectDeleted, onObjectFinalized } from 'firebase-functions/v2/storage';
import { getDownloadURL, getStorage } from 'firebase-admin/storage';
import type {
  ApproveSpecialistRequest,
  ApproveSpecialistResponse,
  BookAppointmentRequest,
  BookAppointmentResponse,
  CancelAppointmentRequest,
  CancelAppointmentResponse,
  RescheduleAppointmentRequest,
  RescheduleAppointmentResponse,
  RegisterDocumentRequest,
  RegisterDocumentResponse,
  GrantPortalAccessRequest,
  GrantPortalAccessResponse,
  RevokePortalAccessRequest,
  RevokePortalAccessResponse,
  SaveQuestionnaireRequest,
  SaveQuestionnaireResponse,
  SetClinicMembershipRequest,
  SetClinicMembershipResponse,
} from '@telesalud/domain';
import { handleUserCreated } from './users/on-user-created';
import { handleSpecialistPhotoDeleted, handleSpecialistPhotoFinalized } from './storage/on-specialist-photo';
import { defineCallable } from './callables/define-callable';
// Our onCall screens every payload's shape before firebase-functions decodes it (a deep one answered 500 there).
import { onCall } from './callables/on-call';
import { registerDocumentCallable } from './documents/register-document';
import { serveOpenDocument } from './documents/open-document';
import { stripPatientFileTokens } from './documents/strip-download-tokens';
import { bucketFiles } from './storage/files';
import { setClinicMembershipCallable } from './clinic/set-clinic-membership';
import { grantPortalAccessCallable } from './clinic/grant-portal-access';
import { revokePortalAccessCallable } from './clinic/revoke-portal-access';
import { approveSpecialistCallable } from './admin/approve-specialist';
import { handleNoteWritten } from './audit/on-note-written';
import { bookAppointmentCallable } from './bookings/book-appointment';
import { cancelAppointmentCallable } from './bookings/cancel-appointment';
import { rescheduleAppointmentCallable } from './bookings/reschedule-appointment';
import { handleExpireUnpaid } from './bookings/expire-unpaid';
import { saveQuestionnaireCallable } from './clinic/save-questionnaire';
import { syncSearchListings } from './search/sync-search-listings';
import { channelsFromEnv } from './notifications/channels';
import { handleNotificationCreated } from './notifications/on-notification-created';
import { handleAppointmentCreated } from './notifications/on-appointment-created';

setGlobalOptions({ region: 'us-central1' });
initializeApp();
const deps = { db: getFirestore(), auth: getAuth() };

export const usersOnCreated = onDocumentCreated('users/{uid}', async (event) => {
  const data = event.data?.data();
  if (!data) return;
  await handleUserCreated(event.params.uid, data, deps);
});

export const auditOnNoteWritten = onDocumentWritten('appointments/{appointmentId}/notes/{noteId}', async (event) => {
  const author: unknown = event.data?.after.get('authorUid') ?? event.data?.before.get('authorUid');
  await handleNoteWritten(
    { path: `appointments/${event.params.appointmentId}/notes/${event.params.noteId}`, authorUid: typeof author === 'string' ? author : null, eventId: event.id },
    deps.db,
  );
});

// Search: the public listings follow the profile (status, name, ratings) and each office.
export const searchOnSpecialistWritten = onDocumentWritten('specialists/{uid}', async (event) => {
  await syncSearchListings(deps.db, event.params.uid);
});
export const searchOnOfficeWritten = onDocumentWritten('specialists/{uid}/offices/{officeId}', async (event) => {
  await syncSearchListings(deps.db, event.params.uid);
});

export const storageOnObjectFinalized = onObjectFinalized(async (event) => {
  // Patient files first: their download tokens are public links and must go before anything else happens.
  await stripPatientFileTokens(event.data, bucketFiles(() => getStorage().bucket(event.data.bucket)));
  await handleSpecialistPhotoFinalized(event.data, {
    db: deps.db,
    downloadUrl: (o) => getDownloadURL(getStorage().bucket(o.bucket).file(o.name)),
  });
});

export const storageOnObjectDeleted = onObjectDeleted(async (event) => {
  await handleSpecialistPhotoDeleted(event.data, deps);
});

// Callables keep the names of CALLABLES (domain/src/callables/registry.ts): the web calls httpsCallable with them.
export const setClinicMembership = onCall<SetClinicMembershipRequest, Promise<SetClinicMembershipResponse>>(
  defineCallable(deps.db, setClinicMembershipCallable(deps)),
);
export const grantPortalAccess = onCall<GrantPortalAccessRequest, Promise<GrantPortalAccessResponse>>(
  defineCallable(deps.db, grantPortalAccessCallable(deps)),
);
export const revokePortalAccess = onCall<RevokePortalAccessRequest, Promise<RevokePortalAccessResponse>>(
  defineCallable(deps.db, revokePortalAccessCallable(deps)),
);
export const approveSpecialist = onCall<ApproveSpecialistRequest, Promise<ApproveSpecialistResponse>>(
  defineCallable(deps.db, approveSpecialistCallable(deps)),
);
export const saveQuestionnaire = onCall<SaveQuestionnaireRequest, Promise<SaveQuestionnaireResponse>>(
  defineCallable(deps.db, saveQuestionnaireCallable(deps)),
);

// Bookings: the only writers of appointments, slot locks and the busy projection.
export const bookAppointment = onCall<BookAppointmentRequest, Promise<BookAppointmentResponse>>(defineCallable(deps.db, bookAppointmentCallable(deps)));
export const cancelAppointment = onCall<CancelAppointmentRequest, Promise<CancelAppointmentResponse>>(
  defineCallable(deps.db, cancelAppointmentCallable(deps)),
);
export const rescheduleAppointment = onCall<RescheduleAppointmentRequest, Promise<RescheduleAppointmentResponse>>(
  defineCallable(deps.db, rescheduleAppointmentCallable(deps)),
);
// Unpaid prepaid bookings past their deadline free their slot (bookings also expire one they meet, so this is a sweep).
export const bookingsExpireUnpaid = onSchedule({ schedule: 'every 5 minutes', timeZone: 'UTC' }, async () => {
  await handleExpireUnpaid(deps.db);
});

// Clinic files: registered after upload (size, type and no download token checked in Storage), read only through
// openDocument, an HTTPS function that verifies the ID token, checks access, audits and sends the bytes.
const clinicFiles = bucketFiles(() => getStorage().bucket());
export const registerDocument = onCall<RegisterDocumentRequest, Promise<RegisterDocumentResponse>>(
  defineCallable(deps.db, registerDocumentCallable({ db: deps.db, files: clinicFiles })),
);
// CORS for the web app: the ID token travels in the Authorization header, never in a cookie.
export const openDocument = onRequest({ cors: true }, (req, res) => serveOpenDocument(req, res, { ...deps, files: clinicFiles }));

// Notifications: every in-app notification also goes out by e-mail and SMS where the recipient has them and the
// channel is configured (SMTP_URL, TWILIO_*; see config.ts), once per notification; a new booking sends the patient
// a confirmation with its calendar file.
export const notificationsOnCreated = onDocumentCreated('users/{uid}/notifications/{notificationId}', async (event) => {
  await handleNotificationCreated(
    { uid: event.params.uid, notificationId: event.params.notificationId, data: event.data?.data(), eventId: event.id },
    { db: deps.db, channels: channelsFromEnv() },
  );
});
export const notificationsOnAppointmentCreated = onDocumentCreated('appointments/{appointmentId}', async (event) => {
  await handleAppointmentCreated(
    { appointmentId: event.params.appointmentId, data: event.data?.data(), eventId: event.id },
    { db: deps.db, channels: channelsFromEnv() },
  );
});
