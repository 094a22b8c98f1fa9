/**
 * appointments/{id}: live lists of the signed-in person's appointments (server-written; the rules need patientUid or
 * specialistUid == me). The queries themselves live in appointment-queries.ts.
 */
import { onSnapshot } from 'firebase/firestore';
import { firebase } from '../plugins/firebase';
import { patientAppointmentsQuery, specialistAppointmentsQuery, type AppointmentView } from './appointment-queries';

export type { AppointmentView, ForWhom, VisitType } from './appointment-queries';

/**
 * Follows the patient's appointments ending after `now`, by start (composite index patientUid + start in
 * firestore.indexes.json). Cancelled ones are included; the caller decides what to show.
 * @param patientUid - the signed-in user (rules refuse any other)
 * @param now - the instant before which appointments are past
 */
export function watchUpcomingAppointments(
  patientUid: string,
  now: Date,
  next: (a: AppointmentView[]) => void,
  error: (e: Error) => void,
): () => void {
  const q = patientAppointmentsQuery(firebase().db, patientUid, new Date(now.getTime() - 4 * 3_600_000));
  return onSnapshot(q, (s) => next(s.docs.map((d) => d.data())), error);
}

/**
 * Follows the specialist's appointments starting in [from, to), by start (composite index specialistUid + start in
 * firestore.indexes.json), cancelled ones included. A booking, a cancellation or a payment arrives as a new snapshot.
 * @param specialistUid - the signed-in specialist (rules refuse any other)
 * @param from - first instant of the range (the calendar's visible range)
 * @param to - end of the range, excluded
 */
export function watchSpecialistAppointments(
  specialistUid: string,
  from: Date,
  to: Date,
  next: (a: AppointmentView[]) => void,
  error: (e: Error) => void,
): () => void {
  const q = specialistAppointmentsQuery(firebase().db, specialistUid, from, to);
  return onSnapshot(q, (s) => next(s.docs.map((d) => d.data())), error);
}
