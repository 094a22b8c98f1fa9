/** Every collection path, built in one place. docs/data-model.md describes each; COLLECTIONS lists their patterns. */
export const paths = {
  user: (uid: string) => `users/${uid}`,
  clinic: (clinicId: string) => `clinics/${clinicId}`,
  clinicMember: (clinicId: string, uid: string) => `clinics/${clinicId}/members/${uid}`,
  specialists: () => 'specialists',
  specialist: (uid: string) => `specialists/${uid}`,
  office: (uid: string, officeId: string) => `specialists/${uid}/offices/${officeId}`,
  review: (uid: string, reviewId: string) => `specialists/${uid}/reviews/${reviewId}`,

  notifications: (uid: string) => `users/${uid}/notifications`,
  notification: (uid: string, notificationId: string) => `users/${uid}/notifications/${notificationId}`,

  clinics: () => 'clinics',
  clinicMembers: (clinicId: string) => `clinics/${clinicId}/members`,
  portalGrant: (clinicId: string, patientUid: string) => `clinics/${clinicId}/portalGrants/${patientUid}`,
  clinicPatients: (clinicId: string) => `clinics/${clinicId}/patients`,
  clinicPatient: (clinicId: string, patientUid: string) => `clinics/${clinicId}/patients/${patientUid}`,
  patientDocuments: (clinicId: string, patientUid: string) => `clinics/${clinicId}/patients/${patientUid}/documents`,
  patientDocument: (clinicId: string, patientUid: string, documentId: string) =>
    `clinics/${clinicId}/patients/${patientUid}/documents/${documentId}`,
  consentTemplate: (clinicId: string, templateId: string) => `clinics/${clinicId}/consentTemplates/${templateId}`,
  consents: (clinicId: string, patientUid: string) => `clinics/${clinicId}/patients/${patientUid}/consents`,
  consent: (clinicId: string, patientUid: string, consentId: string) =>
    `clinics/${clinicId}/patients/${patientUid}/consents/${consentId}`,
  questionnaires: (clinicId: string) => `clinics/${clinicId}/questionnaires`,
  questionnaire: (clinicId: string, questionnaireId: string) => `clinics/${clinicId}/questionnaires/${questionnaireId}`,
  questionnaireAnswers: (clinicId: string, patientUid: string, answerId: string) =>
    `clinics/${clinicId}/patients/${patientUid}/answers/${answerId}`,

  offices: (uid: string) => `specialists/${uid}/offices`,
  reviews: (uid: string) => `specialists/${uid}/reviews`,
  exceptions: (uid: string) => `specialists/${uid}/exceptions`,
  /** The id is `availabilityExceptionId(date, officeId?)`. */
  exception: (uid: string, exceptionId: string) => `specialists/${uid}/exceptions/${exceptionId}`,
  /** Taken time of one UTC day ('YYYY-MM-DD'), the public projection open booking pages listen to. */
  busyDay: (uid: string, day: string) => `specialists/${uid}/busy/${day}`,
  /** The id comes from the scheduling module's slot lock ids. */
  slotLock: (uid: string, lockId: string) => `specialists/${uid}/slotLocks/${lockId}`,
  reviewReceipt: (appointmentId: string) => `reviewReceipts/${appointmentId}`,
  /** What map search queries: one public listing per office of an approved specialist. */
  searchListings: () => 'searchListings',
  /** The id is `searchListingId(specialistUid, officeId)`. */
  searchListing: (listingId: string) => `searchListings/${listingId}`,

  appointments: () => 'appointments',
  appointment: (appointmentId: string) => `appointments/${appointmentId}`,
  appointmentHistory: (appointmentId: string) => `appointments/${appointmentId}/history`,
  appointmentHistoryEntry: (appointmentId: string, entryId: string) =>
    `appointments/${appointmentId}/history/${entryId}`,
  clinicalNotes: (appointmentId: string) => `appointments/${appointmentId}/notes`,
  clinicalNote: (appointmentId: string, noteId: string) => `appointments/${appointmentId}/notes/${noteId}`,
  availabilityRequests: () => 'availabilityRequests',
  availabilityRequest: (requestId: string) => `availabilityRequests/${requestId}`,

  conversations: () => 'conversations',
  conversation: (conversationId: string) => `conversations/${conversationId}`,
  messages: (conversationId: string) => `conversations/${conversationId}/messages`,
  message: (conversationId: string, messageId: string) => `conversations/${conversationId}/messages/${messageId}`,

  transactions: () => 'transactions',
  transaction: (transactionId: string) => `transactions/${transactionId}`,
  /** The id is `payoutId(specialistUid, period)`. */
  payout: (payoutId: string) => `payouts/${payoutId}`,
  stripeEvent: (eventId: string) => `stripeEvents/${eventId}`,
  auditEntry: (entryId: string) => `auditLog/${entryId}`,
  /** One record per caller and key: a key reused by another user is a different record. */
  idempotency: (uid: string, key: string) => `idempotency/${uid}_${key}`,
} as const;
