/** Callables that create and move appointments: bookAppointment, cancelAppointment, rescheduleAppointment, recordAttendance. */
import { z } from 'zod';
import { id, longText, money } from '../model/common';
import { APPOINTMENT_STATUSES, bookingDetailsFields, type FOR_WHOM } from '../model/appointment';
import { idempotencyKey, isoDateTime } from './common';

const dependantConsistent = (r: { forWhom: (typeof FOR_WHOM)[number]; dependantName?: string }) =>
  (r.forWhom === 'dependant') === (r.dependantName !== undefined);
const dependantIssue = { message: 'Dependant name iff for a dependant', path: ['dependantName'] };

/**
 * Books an offered slot, named by its start, office and visit type: nothing in it says how long the visit is or what
 * it costs. The server derives the end from the office and visit type (visitMinutes), the price from the office's
 * price for the site (priceFor), the status from the specialist's payment policy, and locks the slot in the same
 * transaction. The schema is strict, so a request naming an end or a duration is refused as an unknown key.
 */
export const bookAppointmentRequestSchema = z
  .strictObject({
    specialistUid: id,
    officeId: id,
    siteId: id,
    start: isoDateTime,
    ...bookingDetailsFields,
    idempotencyKey,
  })
  .refine(dependantConsistent, dependantIssue);
export type BookAppointmentRequest = z.infer<typeof bookAppointmentRequestSchema>;

export const bookAppointmentResponseSchema = z.strictObject({
  appointmentId: id,
  status: z.enum(APPOINTMENT_STATUSES).extract(['pending_payment', 'confirmed']),
  start: isoDateTime,
  end: isoDateTime,
  price: money,
  /** While pending_payment: pay before this or the slot is released. */
  paymentDueAt: isoDateTime.optional(),
});
export type BookAppointmentResponse = z.infer<typeof bookAppointmentResponseSchema>;

/** Cancels; the server applies the clinic's cancellation window to compute fee and refund. */
export const cancelAppointmentRequestSchema = z.strictObject({
  appointmentId: id,
  reason: longText(500),
  idempotencyKey,
});
export type CancelAppointmentRequest = z.infer<typeof cancelAppointmentRequestSchema>;

export const cancelAppointmentResponseSchema = z.strictObject({
  appointmentId: id,
  status: z.literal('cancelled'),
  fee: money,
  refund: money,
});
export type CancelAppointmentResponse = z.infer<typeof cancelAppointmentResponseSchema>;

/**
 * Moves a pending_payment or confirmed appointment to another free slot, optionally at another office or site. The
 * new length comes from that office and the appointment's visit type, the price from the policy, as when booking.
 */
export const rescheduleAppointmentRequestSchema = z.strictObject({
  appointmentId: id,
  start: isoDateTime,
  officeId: id.optional(),
  siteId: id.optional(),
  idempotencyKey,
});
export type RescheduleAppointmentRequest = z.infer<typeof rescheduleAppointmentRequestSchema>;

export const rescheduleAppointmentResponseSchema = z.strictObject({
  appointmentId: id,
  status: z.enum(APPOINTMENT_STATUSES).extract(['pending_payment', 'confirmed']),
  start: isoDateTime,
  end: isoDateTime,
  price: money,
});
export type RescheduleAppointmentResponse = z.infer<typeof rescheduleAppointmentResponseSchema>;

/** The specialist or the clinic's staff record whether the patient came. */
export const recordAttendanceRequestSchema = z.strictObject({
  appointmentId: id,
  outcome: z.enum(APPOINTMENT_STATUSES).extract(['completed', 'no_show']),
  note: longText(500).optional(),
});
export type RecordAttendanceRequest = z.infer<typeof recordAttendanceRequestSchema>;

export const recordAttendanceResponseSchema = z.strictObject({
  appointmentId: id,
  status: z.enum(APPOINTMENT_STATUSES).extract(['completed', 'no_show']),
});
export type RecordAttendanceResponse = z.infer<typeof recordAttendanceResponseSchema>;
