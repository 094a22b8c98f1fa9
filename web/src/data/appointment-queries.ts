/**
 * appointments/{id}: the converter and the list queries the app runs, built on any Firestore instance. Kept apart from
 * the app's Firebase plugin so that tests/rules can run these very queries under the rules (rules are not filters: a
 * query the rules cannot prove safe is refused whole).
 */
import {
  collection,
  orderBy,
  query,
  Timestamp,
  where,
  type Firestore,
  type Query,
} from 'firebase/firestore';
import {
  appointmentSchema,
  parseDocument,
  paths,
  type Appointment,
  type AppointmentStatus,
  type Modality,
  type Money,
  type PaymentPolicy,
} from '@telesalud/domain';
import { readOnlyConverter } from './read-only';

/** The visit types and who a visit is for, as the appointment schema defines them. */
export type VisitType = Appointment['visitType'];
export type ForWhom = Appointment['forWhom'];

/**
 * What the app shows of an appointment to its patient and its specialist; instants are Dates. The contact phone,
 * payment and reminder bookkeeping stay out: no screen needs them.
 */
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
  visitType: VisitType;
  forWhom: ForWhom;
  /** Present exactly when the visit is for a dependant. */
  dependantName?: string;
  paymentDueAt?: Date;
}

/** Appointments are server-written: the converter only reads. */
export const appointmentConverter = readOnlyConverter('Appointments are server-written', (snap): AppointmentView => {
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
    visitType: a.visitType,
    forWhom: a.forWhom,
    ...(a.dependantName !== undefined ? { dependantName: a.dependantName } : {}),
    ...(a.paymentDueAt ? { paymentDueAt: a.paymentDueAt.toDate() } : {}),
  };
});

/**
 * A patient's appointments starting from `since` on, by start (composite index patientUid + start).
 * @param db - the Firestore instance
 * @param patientUid - the signed-in patient (the rules refuse any other)
 * @param since - the earliest start to include
 */
export function patientAppointmentsQuery(db: Firestore, patientUid: string, since: Date): Query<AppointmentView> {
  return query(
    collection(db, paths.appointments()).withConverter(appointmentConverter),
    where('patientUid', '==', patientUid),
    where('start', '>=', Timestamp.fromDate(since)),
    orderBy('start'),
  );
}

/**
 * A specialist's appointments starting in [from, to), by start (composite index specialistUid + start). Cancelled
 * ones are included: the calendar decides whether to show them.
 * @param db - the Firestore instance
 * @param specialistUid - the signed-in specialist (the rules refuse any other)
 * @param from - first instant of the range
 * @param to - end of the range, excluded
 */
export function specialistAppointmentsQuery(db: Firestore, specialistUid: string, from: Date, to: Date): Query<AppointmentView> {
  return query(
    collection(db, paths.appointments()).withConverter(appointmentConverter),
    where('specialistUid', '==', specialistUid),
    where('start', '>=', Timestamp.fromDate(from)),
    where('start', '<', Timestamp.fromDate(to)),
    orderBy('start'),
  );
}
