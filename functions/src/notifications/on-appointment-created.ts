/**
 * appointments/{id} created → the patient's booking confirmation by e-mail (with the .ics) and SMS. The booking
 * transaction writes the specialist's in-app notification only (the patient is the one who booked, on screen); this
 * trigger reads the new appointment, so the bookings code needs no change. A confirmed booking gets the confirmation
 * and calendar file; one awaiting payment gets the "complete the payment" message (its calendar file comes with the
 * payment's confirmation); a proposal gets nothing here (the patient is told by the proposal's own notification).
 */
import { paths, type NotificationChannel, type NotificationKind } from '@telesalud/domain';
import { deliver, type DeliverDeps, type Outcome } from './deliver';

export interface AppointmentCreated {
  appointmentId: string;
  data: Record<string, unknown> | undefined;
  eventId: string;
}

/**
 * Sends the patient's confirmation of a new booking.
 * @param e - the appointment's id and data, and the event id
 * @param deps - Firestore and the configured channels
 * @returns the outcome per channel, or null when this appointment gets no confirmation
 */
export async function handleAppointmentCreated(e: AppointmentCreated, deps: DeliverDeps): Promise<Record<NotificationChannel, Outcome> | null> {
  const status = e.data?.status;
  const patientUid = e.data?.patientUid;
  if (typeof patientUid !== 'string') return null;
  const kind: NotificationKind | null = status === 'confirmed' ? 'appointment_confirmed' : status === 'pending_payment' ? 'payment_due' : null;
  if (!kind) return null;
  return deliver(
    {
      // One confirmation per appointment, whatever the number of events for its creation.
      sourceId: `${paths.appointment(e.appointmentId)}#created`,
      eventId: e.eventId,
      recipientUid: patientUid,
      kind,
      link: `/citas/${e.appointmentId}`,
      appointmentId: e.appointmentId,
      inApp: 'none',
      attachIcs: kind === 'appointment_confirmed',
    },
    deps,
  );
}
