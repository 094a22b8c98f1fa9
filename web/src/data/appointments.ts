/** appointments/{id}: the signed-in patient's own appointments (server-written; rules need patientUid == me). */
import {
  collection,
  onSnapshot,
  orderBy,
  query,
  Timestamp,
  where,
  type DocumentData,
  type FirestoreDataConverter,
  type QueryDocumentSnapshot,
} from 'firebase/firestore';
import { appointmentSchema, parseDocument, paths, type AppointmentStatus, type Modality, type Money, type PaymentPolicy } from '@telesalud/domain';
import { firebase } from '../plugins/firebase';

/** What the patient's lists show of an appointment; instants are Dates. */
export interface AppointmentView {
  id: string;
  specialistUid: string;
  officeId: string;
  modality: Modality;
  start: Date;
  end: Date;
  timeZone: string;
  status: AppointmentStatus;
  price: Money;
  paymentPolicy: PaymentPolicy;
  reason: string;
  paymentDueAt?: Date;
}

const converter: FirestoreDataConverter<AppointmentView, DocumentData> = {
  toFirestore: () => {
    throw new Error('Appointments are server-written');
  },
  fromFirestore(snap: QueryDocumentSnapshot): AppointmentView {
    const a = parseDocument(appointmentSchema, { data: () => snap.data({ serverTimestamps: 'estimate' }), ref: snap.ref });
    return {
      id: snap.id,
      specialistUid: a.specialistUid,
      officeId: a.officeId,
      modality: a.modality,
      start: a.start.toDate(),
      end: a.end.toDate(),
      timeZone: a.timeZone,
      status: a.status,
      price: a.price,
      paymentPolicy: a.paymentPolicy,
      reason: a.reason,
      ...(a.paymentDueAt ? { paymentDueAt: a.paymentDueAt.toDate() } : {}),
    };
  },
};

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
  const q = query(
    collection(firebase().db, paths.appointments()).withConverter(converter),
    where('patientUid', '==', patientUid),
    where('start', '>=', Timestamp.fromDate(new Date(now.getTime() - 4 * 3_600_000))),
    orderBy('start'),
  );
  return onSnapshot(q, (s) => next(s.docs.map((d) => d.data())), error);
}
