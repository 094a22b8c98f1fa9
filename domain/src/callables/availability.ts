/**
 * Callables of availability requests: requestAvailability (patient), proposeTime and declineRequest (specialist
 * side), answerProposal (patient).
 */
import { z } from 'zod';
import { id, longText, MODALITIES, money, timeZone } from '../model/common';
import { APPOINTMENT_STATUSES, bookingDetailsFields } from '../model/appointment';
import { AVAILABILITY_REQUEST_STATUSES } from '../model/availability-request';
import { durationMinutes, idempotencyKey, isoDateTime, isoInterval } from './common';

export const requestAvailabilityRequestSchema = z
  .strictObject({
    specialistUid: id,
    modality: z.enum(MODALITIES),
    officeId: id.optional(),
    preferredWindows: z.array(isoInterval).min(1).max(5),
    /** The patient's zone, for showing the proposal in the patient's wall time. */
    timeZone,
    message: longText(1000).optional(),
    ...bookingDetailsFields,
    idempotencyKey,
  })
  .refine((r) => (r.forWhom === 'dependant') === (r.dependantName !== undefined), {
    message: 'Dependant name iff for a dependant',
    path: ['dependantName'],
  });
export type RequestAvailabilityRequest = z.infer<typeof requestAvailabilityRequestSchema>;

export const requestAvailabilityResponseSchema = z.strictObject({
  requestId: id,
  status: z.literal('open'),
  expiresAt: isoDateTime,
});
export type RequestAvailabilityResponse = z.infer<typeof requestAvailabilityResponseSchema>;

/** The specialist (or the clinic's staff) offers a time; the server creates a 'proposed' appointment holding it. */
export const proposeTimeRequestSchema = z.strictObject({
  requestId: id,
  officeId: id,
  siteId: id,
  start: isoDateTime,
  durationMinutes: durationMinutes.optional(),
  message: longText(1000).optional(),
});
export type ProposeTimeRequest = z.infer<typeof proposeTimeRequestSchema>;

export const proposeTimeResponseSchema = z.strictObject({
  requestId: id,
  appointmentId: id,
  status: z.literal('proposed'),
  start: isoDateTime,
  end: isoDateTime,
  price: money,
});
export type ProposeTimeResponse = z.infer<typeof proposeTimeResponseSchema>;

/** The specialist side declines an open request (or the patient withdraws it). */
export const declineRequestRequestSchema = z.strictObject({ requestId: id, reason: longText(500).optional() });
export type DeclineRequestRequest = z.infer<typeof declineRequestRequestSchema>;

export const declineRequestResponseSchema = z.strictObject({ requestId: id, status: z.literal('declined') });
export type DeclineRequestResponse = z.infer<typeof declineRequestResponseSchema>;

/** The patient accepts (the appointment moves on by payment policy) or declines (the appointment is cancelled). */
export const answerProposalRequestSchema = z
  .strictObject({
    requestId: id,
    answer: z.enum(['accept', 'decline']),
    reason: longText(500).optional(),
    idempotencyKey,
  })
  .refine((r) => r.answer === 'decline' || r.reason === undefined, {
    message: 'A reason only comes with a decline',
    path: ['reason'],
  });
export type AnswerProposalRequest = z.infer<typeof answerProposalRequestSchema>;

export const answerProposalResponseSchema = z.strictObject({
  requestId: id,
  status: z.enum(AVAILABILITY_REQUEST_STATUSES).extract(['accepted', 'declined']),
  appointmentId: id,
  appointmentStatus: z.enum(APPOINTMENT_STATUSES).extract(['pending_payment', 'confirmed', 'cancelled']),
});
export type AnswerProposalResponse = z.infer<typeof answerProposalResponseSchema>;
