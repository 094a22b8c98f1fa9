/**
 * COLLECTIONS: every Firestore collection with its path pattern, schema, writers and readers. The access-matrix printer
 * and the rules tests read this list; firestore.rules must agree with it, and docs/data-model.md explains it.
 */
import type { z } from 'zod';
import { paths } from '../paths';
import type { Role } from './common';
import { userProfileSchema } from './user-profile';
import { notificationSchema } from './notification';
import { clinicMemberSchema, clinicSchema } from './clinic';
import { portalGrantSchema } from './grants';
import { clinicPatientSchema } from './clinic-patient';
import { patientDocumentSchema } from './patient-document';
import { consentSchema, consentTemplateSchema } from './consent';
import { questionnaireAnswersSchema, questionnaireSchema } from './questionnaire';
import { officeSchema, reviewSchema, specialistSchema } from './specialist';
import { availabilityExceptionSchema, slotLockSchema } from './availability';
import { busyDaySchema } from './busy';
import { searchListingSchema } from './search-listing';
import { reviewReceiptSchema } from './review';
import { appointmentHistoryEntrySchema, appointmentSchema } from './appointment';
import { clinicalNoteSchema } from './clinical-note';
import { availabilityRequestSchema } from './availability-request';
import { conversationSchema, messageSchema } from './conversation';
import { payoutSchema, stripeEventSchema, transactionSchema } from './payment';
import { auditEntrySchema } from './audit';
import { idempotencyRecordSchema } from './idempotency';

/**
 * Who writes documents of a collection: the server (admin SDK, bypassing rules) or a client holding a role.
 * 'client:owner' is the user whose uid is in the path, whatever roles they hold (a profile exists before any role).
 */
export type Writer = 'server' | `client:${Role}` | 'client:owner';

/**
 * Who may read (get) or list documents, as rules decide it:
 * - 'anyone': signed in or not;
 * - 'owner': the user whose uid is the path's `{uid}` (or `{patientUid}` for the patient's own grant);
 * - 'patient:participant' / 'specialist:participant': the patient or specialist the document names (patientUid,
 *   specialistUid, participants);
 * - 'staff:clinic' / 'specialist:clinic': an active member with that role of the clinic the document belongs to (the
 *   path's `{clinicId}`, or the document's `clinicId`);
 * - 'patient:portal': the patient of the path, while their portal grant of that clinic is active;
 * - 'admin': a platform admin (claims), for moderation and support.
 */
export type Audience =
  | 'anyone'
  | 'owner'
  | 'patient:participant'
  | 'specialist:participant'
  | 'staff:clinic'
  | 'specialist:clinic'
  | 'patient:portal'
  | 'admin';

/** One collection of the data model. */
export interface CollectionSpec {
  /** A stable name, used by the access-matrix printer and the rules tests. */
  readonly name: string;
  /** The document path with `{placeholders}` for ids, e.g. 'clinics/{clinicId}/members/{uid}'. */
  readonly pattern: string;
  /** The path builder in `paths` for one document of the collection, taking the placeholders in order. */
  readonly build: (...ids: string[]) => string;
  readonly schema: z.ZodType;
  readonly writers: readonly Writer[];
  /** The fields clients may set, when some client writes; everything else is server-owned. */
  readonly clientFields?: { readonly create?: readonly string[]; readonly update?: readonly string[] };
  readonly readableBy: readonly Audience[];
  /** Who may run list queries; an empty list means nobody lists (gets by id only, or server only). */
  readonly listableBy: readonly Audience[];
  /** Conditions the columns cannot say (status filters, the query shape rules require). */
  readonly note?: string;
}

const APPOINTMENT_READERS = ['patient:participant', 'specialist:participant', 'staff:clinic'] as const;
const CLINIC_RECORD_READERS = ['patient:portal', 'staff:clinic', 'specialist:clinic'] as const;

export const COLLECTIONS = [
  {
    name: 'users',
    pattern: 'users/{uid}',
    build: paths.user,
    schema: userProfileSchema,
    writers: ['client:owner', 'server'],
    clientFields: {
      create: ['displayName', 'email', 'phone', 'locale', 'timeZone', 'requestedRole', 'createdAt'],
      update: ['displayName', 'phone', 'locale', 'timeZone'],
    },
    readableBy: ['owner', 'admin'],
    listableBy: [],
    note: 'roleStatus and claimsSyncedAt are server-written; roles themselves are custom claims (customClaimsSchema).',
  },
  {
    name: 'notifications',
    pattern: 'users/{uid}/notifications/{notificationId}',
    build: paths.notification,
    schema: notificationSchema,
    writers: ['server', 'client:owner'],
    clientFields: { update: ['readAt'] },
    readableBy: ['owner'],
    listableBy: ['owner'],
    note: 'The owner may only set readAt, to the request time.',
  },
  {
    name: 'clinics',
    pattern: 'clinics/{clinicId}',
    build: paths.clinic,
    schema: clinicSchema,
    writers: ['server'],
    readableBy: ['anyone'],
    listableBy: ['anyone'],
    note: 'Public: patients see a clinic and its cancellation policy before booking.',
  },
  {
    name: 'clinicMembers',
    pattern: 'clinics/{clinicId}/members/{uid}',
    build: paths.clinicMember,
    schema: clinicMemberSchema,
    writers: ['server'],
    readableBy: ['owner', 'staff:clinic', 'admin'],
    listableBy: ['staff:clinic', 'admin'],
    note: 'A grant: rules read it (one get()) to decide staff and specialist access; active must be true.',
  },
  {
    name: 'portalGrants',
    pattern: 'clinics/{clinicId}/portalGrants/{patientUid}',
    build: paths.portalGrant,
    schema: portalGrantSchema,
    writers: ['server'],
    readableBy: ['owner', 'staff:clinic', 'admin'],
    listableBy: ['staff:clinic'],
    note: "A grant: rules read it before showing the patient the clinic's records; revocation is immediate.",
  },
  {
    name: 'clinicPatients',
    pattern: 'clinics/{clinicId}/patients/{patientUid}',
    build: paths.clinicPatient,
    schema: clinicPatientSchema,
    writers: ['server', 'client:staff'],
    clientFields: {
      create: ['displayName', 'contact', 'dateOfBirth', 'documentId', 'createdAt', 'createdBy', 'updatedAt'],
      update: ['displayName', 'contact', 'dateOfBirth', 'documentId', 'updatedAt'],
    },
    readableBy: CLINIC_RECORD_READERS,
    listableBy: ['staff:clinic', 'specialist:clinic'],
  },
  {
    name: 'patientDocuments',
    pattern: 'clinics/{clinicId}/patients/{patientUid}/documents/{documentId}',
    build: paths.patientDocument,
    schema: patientDocumentSchema,
    writers: ['server'],
    readableBy: CLINIC_RECORD_READERS,
    listableBy: CLINIC_RECORD_READERS,
    note: 'The patient sees only visibleToPatient == true (queries must filter on it). Files are fetched through openDocument, which audits the read.',
  },
  {
    name: 'consentTemplates',
    pattern: 'clinics/{clinicId}/consentTemplates/{templateId}',
    build: paths.consentTemplate,
    schema: consentTemplateSchema,
    writers: ['client:staff'],
    clientFields: {
      create: ['title', 'version', 'text', 'active', 'updatedAt', 'updatedBy'],
      update: ['title', 'version', 'text', 'active', 'updatedAt', 'updatedBy'],
    },
    readableBy: ['staff:clinic', 'specialist:clinic'],
    listableBy: ['staff:clinic', 'specialist:clinic'],
    note: 'A text change must increment version by one.',
  },
  {
    name: 'consents',
    pattern: 'clinics/{clinicId}/patients/{patientUid}/consents/{consentId}',
    build: paths.consent,
    schema: consentSchema,
    writers: ['server'],
    readableBy: CLINIC_RECORD_READERS,
    listableBy: CLINIC_RECORD_READERS,
    note: 'Created by requestConsent, signed by signConsent, both audited.',
  },
  {
    name: 'questionnaires',
    pattern: 'clinics/{clinicId}/questionnaires/{questionnaireId}',
    build: paths.questionnaire,
    schema: questionnaireSchema,
    writers: ['server'],
    readableBy: ['staff:clinic', 'specialist:clinic', 'patient:portal'],
    listableBy: ['staff:clinic', 'specialist:clinic'],
    note: 'Saved by saveQuestionnaire (rules cannot validate a typed list of questions). A patient with an active portal grant of the clinic gets an active questionnaire by id (from a notification).',
  },
  {
    name: 'questionnaireAnswers',
    pattern: 'clinics/{clinicId}/patients/{patientUid}/answers/{answerId}',
    build: paths.questionnaireAnswers,
    schema: questionnaireAnswersSchema,
    writers: ['server'],
    readableBy: CLINIC_RECORD_READERS,
    listableBy: CLINIC_RECORD_READERS,
    note: 'Written by submitAnswers after answerIssues() finds nothing wrong.',
  },
  {
    name: 'specialists',
    pattern: 'specialists/{uid}',
    build: paths.specialist,
    schema: specialistSchema,
    writers: ['server'],
    readableBy: ['anyone', 'owner', 'admin'],
    listableBy: ['anyone'],
    note: "anyone only while status == 'approved' (list queries must filter on it); ratings are server-computed.",
  },
  {
    name: 'offices',
    pattern: 'specialists/{uid}/offices/{officeId}',
    build: paths.office,
    schema: officeSchema,
    writers: ['server'],
    readableBy: ['anyone', 'owner'],
    listableBy: ['anyone', 'owner'],
    note: 'anyone while the specialist is approved; saved through the onboarding callable, which computes the geohash.',
  },
  {
    name: 'availabilityExceptions',
    pattern: 'specialists/{uid}/exceptions/{exceptionId}',
    build: paths.exception,
    schema: availabilityExceptionSchema,
    writers: ['client:specialist'],
    clientFields: { create: ['date', 'kind', 'intervals', 'officeId'], update: ['kind', 'intervals'] },
    readableBy: ['anyone', 'owner'],
    listableBy: ['anyone', 'owner'],
    note: 'Only the specialist of the path writes; the id is availabilityExceptionId(date, officeId).',
  },
  {
    name: 'busy',
    pattern: 'specialists/{uid}/busy/{day}',
    build: paths.busyDay,
    schema: busyDaySchema,
    writers: ['server'],
    readableBy: ['anyone', 'owner'],
    listableBy: ['anyone', 'owner'],
    note: 'anyone while the specialist is approved: taken time per UTC day, instants only (no ids, no patient data); written with the slot locks.',
  },
  {
    name: 'searchListings',
    pattern: 'searchListings/{listingId}',
    build: paths.searchListing,
    schema: searchListingSchema,
    writers: ['server'],
    readableBy: ['anyone'],
    listableBy: ['anyone'],
    note: "One per office of an approved specialist, recomputed by a trigger from the profile and its offices (searchListingsFor): a listing exists only while the profile is approved, so queries need no status filter.",
  },
  {
    name: 'slotLocks',
    pattern: 'specialists/{uid}/slotLocks/{lockId}',
    build: paths.slotLock,
    schema: slotLockSchema,
    writers: ['server'],
    readableBy: [],
    listableBy: [],
    note: 'Created and deleted inside the booking, reschedule and cancel transactions.',
  },
  {
    name: 'reviews',
    pattern: 'specialists/{uid}/reviews/{reviewId}',
    build: paths.review,
    schema: reviewSchema,
    writers: ['server'],
    readableBy: ['anyone', 'owner'],
    listableBy: ['anyone', 'owner'],
    note: 'anyone while the specialist is approved. Initials only; the author is in reviewReceipts.',
  },
  {
    name: 'reviewReceipts',
    pattern: 'reviewReceipts/{appointmentId}',
    build: paths.reviewReceipt,
    schema: reviewReceiptSchema,
    writers: ['server'],
    readableBy: ['admin'],
    listableBy: [],
    note: 'One per appointment: created with the review in one transaction, so a second review fails.',
  },
  {
    name: 'appointments',
    pattern: 'appointments/{appointmentId}',
    build: paths.appointment,
    schema: appointmentSchema,
    writers: ['server'],
    readableBy: APPOINTMENT_READERS,
    listableBy: APPOINTMENT_READERS,
    note: 'Queries must filter on patientUid, specialistUid or clinicId equal to the caller or their clinic.',
  },
  {
    name: 'appointmentHistory',
    pattern: 'appointments/{appointmentId}/history/{entryId}',
    build: paths.appointmentHistoryEntry,
    schema: appointmentHistoryEntrySchema,
    writers: ['server'],
    readableBy: APPOINTMENT_READERS,
    listableBy: APPOINTMENT_READERS,
  },
  {
    name: 'clinicalNotes',
    pattern: 'appointments/{appointmentId}/notes/{noteId}',
    build: paths.clinicalNote,
    schema: clinicalNoteSchema,
    writers: ['client:specialist'],
    clientFields: { create: ['authorUid', 'text', 'createdAt', 'updatedAt'], update: ['text', 'updatedAt'] },
    readableBy: ['specialist:participant'],
    listableBy: ['specialist:participant'],
    note: "Only the appointment's specialist; timestamps equal the request time; a trigger audits note.write.",
  },
  {
    name: 'availabilityRequests',
    pattern: 'availabilityRequests/{requestId}',
    build: paths.availabilityRequest,
    schema: availabilityRequestSchema,
    writers: ['server'],
    readableBy: APPOINTMENT_READERS,
    listableBy: APPOINTMENT_READERS,
  },
  {
    name: 'conversations',
    pattern: 'conversations/{conversationId}',
    build: paths.conversation,
    schema: conversationSchema,
    writers: ['server'],
    readableBy: ['patient:participant', 'specialist:participant'],
    listableBy: ['patient:participant', 'specialist:participant'],
    note: "Queries use participants array-contains the caller's uid.",
  },
  {
    name: 'messages',
    pattern: 'conversations/{conversationId}/messages/{messageId}',
    build: paths.message,
    schema: messageSchema,
    writers: ['client:patient', 'client:specialist'],
    clientFields: { create: ['senderUid', 'text', 'createdAt', 'attachments'] },
    readableBy: ['patient:participant', 'specialist:participant'],
    listableBy: ['patient:participant', 'specialist:participant'],
    note: 'Create only, by a participant as senderUid, createdAt == request.time (one get() of the conversation); no update, no delete.',
  },
  {
    name: 'transactions',
    pattern: 'transactions/{transactionId}',
    build: paths.transaction,
    schema: transactionSchema,
    writers: ['server'],
    readableBy: ['patient:participant', 'specialist:participant', 'admin'],
    listableBy: ['patient:participant', 'specialist:participant', 'admin'],
  },
  {
    name: 'payouts',
    pattern: 'payouts/{payoutId}',
    build: paths.payout,
    schema: payoutSchema,
    writers: ['server'],
    readableBy: ['specialist:participant', 'admin'],
    listableBy: ['specialist:participant', 'admin'],
  },
  {
    name: 'stripeEvents',
    pattern: 'stripeEvents/{eventId}',
    build: paths.stripeEvent,
    schema: stripeEventSchema,
    writers: ['server'],
    readableBy: [],
    listableBy: [],
  },
  {
    name: 'auditLog',
    pattern: 'auditLog/{entryId}',
    build: paths.auditEntry,
    schema: auditEntrySchema,
    writers: ['server'],
    readableBy: ['admin'],
    listableBy: ['admin'],
    note: 'Append-only; never client-writable, not even by an admin.',
  },
  {
    name: 'idempotency',
    pattern: 'idempotency/{uid}_{key}',
    build: paths.idempotency,
    schema: idempotencyRecordSchema,
    writers: ['server'],
    readableBy: [],
    listableBy: [],
  },
] as const satisfies readonly CollectionSpec[];

export type CollectionName = (typeof COLLECTIONS)[number]['name'];
