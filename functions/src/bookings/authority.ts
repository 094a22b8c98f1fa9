/**
 * Who may act on an existing appointment, from documents read in the caller's transaction: its patient, its
 * specialist, or active staff of its clinic (the membership grant, never the clinicIds claim, which outlives a
 * revocation by up to an hour). A missing appointment and someone else's answer the same permission-denied, so an id
 * never reveals whether it exists.
 */
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import type { Appointment, CancellationActor } from '@telesalud/domain';
import type { Caller } from '../callables/define-callable';
import { appointmentIn } from '../repositories/appointments';
import { isClinicStaffIn } from '../repositories/scheduling';

/** The appointment as read in the transaction, and the capacity in which the caller acts on it. */
export interface AppointmentAccess {
  appointment: Appointment;
  actor: CancellationActor;
}

function notAParty(): HttpsError {
  return new HttpsError('permission-denied', 'You cannot change this appointment.', { reason: 'not-a-party' });
}

/**
 * Reads the appointment and decides the caller's capacity.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param appointmentId - the appointment acted on
 * @param caller - who calls (roles gate each capacity; documents decide it)
 * @throws HttpsError permission-denied when the caller is none of the three, or the appointment does not exist
 */
export async function appointmentAccessIn(tx: Transaction, db: Firestore, appointmentId: string, caller: Caller): Promise<AppointmentAccess> {
  const appointment = await appointmentIn(tx, db, appointmentId);
  if (!appointment) throw notAParty();
  if (caller.uid === appointment.patientUid && caller.roles.includes('patient')) return { appointment, actor: 'patient' };
  if (caller.uid === appointment.specialistUid && caller.roles.includes('specialist')) return { appointment, actor: 'specialist' };
  if (appointment.clinicId !== undefined && caller.roles.includes('staff') && (await isClinicStaffIn(tx, db, appointment.clinicId, caller.uid))) {
    return { appointment, actor: 'staff' };
  }
  throw notAParty();
}
