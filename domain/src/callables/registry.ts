/**
 * Every callable's name with its request and response schemas: functions type `onCall<Req, Res>` from it and validate
 * the payload with `request`; the web calls `httpsCallable` with the same name and types.
 */
import type { z } from 'zod';
import * as appointments from './appointments';
import * as availability from './availability';
import * as clinic from './clinic';
import * as admin from './admin';
import * as reviews from './reviews';
import * as conversations from './conversations';
import * as documents from './documents';
import * as consents from './consents';
import * as questionnaires from './questionnaires';

export const CALLABLES = {
  bookAppointment: {
    request: appointments.bookAppointmentRequestSchema,
    response: appointments.bookAppointmentResponseSchema,
  },
  cancelAppointment: {
    request: appointments.cancelAppointmentRequestSchema,
    response: appointments.cancelAppointmentResponseSchema,
  },
  rescheduleAppointment: {
    request: appointments.rescheduleAppointmentRequestSchema,
    response: appointments.rescheduleAppointmentResponseSchema,
  },
  recordAttendance: {
    request: appointments.recordAttendanceRequestSchema,
    response: appointments.recordAttendanceResponseSchema,
  },
  requestAvailability: {
    request: availability.requestAvailabilityRequestSchema,
    response: availability.requestAvailabilityResponseSchema,
  },
  proposeTime: { request: availability.proposeTimeRequestSchema, response: availability.proposeTimeResponseSchema },
  declineRequest: {
    request: availability.declineRequestRequestSchema,
    response: availability.declineRequestResponseSchema,
  },
  answerProposal: {
    request: availability.answerProposalRequestSchema,
    response: availability.answerProposalResponseSchema,
  },
  grantPortalAccess: {
    request: clinic.grantPortalAccessRequestSchema,
    response: clinic.grantPortalAccessResponseSchema,
  },
  revokePortalAccess: {
    request: clinic.revokePortalAccessRequestSchema,
    response: clinic.revokePortalAccessResponseSchema,
  },
  setClinicMembership: {
    request: clinic.setClinicMembershipRequestSchema,
    response: clinic.setClinicMembershipResponseSchema,
  },
  approveSpecialist: { request: admin.approveSpecialistRequestSchema, response: admin.approveSpecialistResponseSchema },
  submitReview: { request: reviews.submitReviewRequestSchema, response: reviews.submitReviewResponseSchema },
  markConversationRead: {
    request: conversations.markConversationReadRequestSchema,
    response: conversations.markConversationReadResponseSchema,
  },
  registerDocument: {
    request: documents.registerDocumentRequestSchema,
    response: documents.registerDocumentResponseSchema,
  },
  requestConsent: { request: consents.requestConsentRequestSchema, response: consents.requestConsentResponseSchema },
  signConsent: { request: consents.signConsentRequestSchema, response: consents.signConsentResponseSchema },
  submitAnswers: {
    request: questionnaires.submitAnswersRequestSchema,
    response: questionnaires.submitAnswersResponseSchema,
  },
  saveQuestionnaire: {
    request: questionnaires.saveQuestionnaireRequestSchema,
    response: questionnaires.saveQuestionnaireResponseSchema,
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type CallableName = keyof typeof CALLABLES;
export type CallableRequest<N extends CallableName> = z.infer<(typeof CALLABLES)[N]['request']>;
export type CallableResponse<N extends CallableName> = z.infer<(typeof CALLABLES)[N]['response']>;
