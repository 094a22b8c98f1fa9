/**
 * Admin-SDK reads of what a booking is checked against: the specialist's profile, an office, the day's exceptions,
 * the clinic and its memberships. Every read takes the transaction, so a change racing the booking (the specialist
 * suspended, the hours edited, a membership revoked) aborts and retries it. Stored documents that break their schema
 * are our bug: they throw plain Errors, which defineCallable reports as internal.
 */
import type { DocumentSnapshot, Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  addDays,
  availabilityExceptionId,
  availabilityExceptionSchema,
  clinicSchema,
  isActiveGrant,
  officeSchema,
  paths,
  specialistSchema,
  type Clinic,
  type Office,
  type ScheduleException,
  type Specialist,
} from '@telesalud/domain';
import { memberOf } from './grants';

function parsed<T>(snap: DocumentSnapshot, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T {
  const r = schema.safeParse(snap.data());
  if (!r.success) throw new Error(`invalid document ${snap.ref.path}`);
  return r.data;
}

/**
 * The specialist's public profile, or not-found.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param uid - the specialist
 */
export async function specialistIn(tx: Transaction, db: Firestore, uid: string): Promise<Specialist> {
  const snap = await tx.get(db.doc(paths.specialist(uid)));
  if (!snap.exists) throw new HttpsError('not-found', 'There is no such specialist.', { reason: 'no-specialist' });
  return parsed(snap, specialistSchema);
}

/**
 * One office of the specialist, read under the specialist's own path: an office id of someone else's is not-found.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param uid - the specialist
 * @param officeId - the office
 */
export async function officeIn(tx: Transaction, db: Firestore, uid: string, officeId: string): Promise<Office> {
  const snap = await tx.get(db.doc(paths.office(uid, officeId)));
  if (!snap.exists) throw new HttpsError('not-found', 'This specialist has no such office.', { reason: 'no-office' });
  return parsed(snap, officeSchema);
}

/**
 * The exceptions that can change the hours offering a slot that starts on `localDate` in the office's zone: that date
 * and the day before (a night shift starting the day before may run into it), each for every office and for this one.
 * Exception ids are deterministic, so four document reads replace a query. When both a specialist-wide exception and
 * one for this office exist on a date, the office's wins: it is the more specific statement.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param uid - the specialist
 * @param officeId - the office
 * @param localDate - 'YYYY-MM-DD' in the office's zone
 */
export async function exceptionsIn(tx: Transaction, db: Firestore, uid: string, officeId: string, localDate: string): Promise<ScheduleException[]> {
  const dates = [addDays(localDate, -1), localDate];
  const ids = dates.flatMap((d) => [availabilityExceptionId(d), availabilityExceptionId(d, officeId)]);
  const snaps = await tx.getAll(...ids.map((i) => db.doc(paths.exception(uid, i))));
  const byDate = new Map<string, ScheduleException>();
  for (const snap of snaps) {
    if (!snap.exists) continue;
    const e = parsed(snap, availabilityExceptionSchema);
    if (e.officeId !== undefined && e.officeId !== officeId) continue;
    if (byDate.has(e.date) && e.officeId === undefined) continue;
    byDate.set(e.date, e.kind === 'closed' ? { date: e.date, kind: 'closed' } : { date: e.date, kind: 'hours', intervals: e.intervals ?? [] });
  }
  return [...byDate.values()];
}

/**
 * The clinic, or null when it does not exist.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param clinicId - the clinic
 */
export async function clinicIn(tx: Transaction, db: Firestore, clinicId: string): Promise<Clinic | null> {
  const snap = await tx.get(db.doc(paths.clinic(clinicId)));
  return snap.exists ? parsed(snap, clinicSchema) : null;
}

/**
 * The clinic an appointment with this specialist belongs to: the first clinic of the profile's list in which the
 * specialist holds an active specialist membership (the profile's list alone is not a grant). Undefined when none.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param uid - the specialist
 * @param clinicIds - the profile's clinics, in its order
 */
export async function bookingClinicIn(tx: Transaction, db: Firestore, uid: string, clinicIds: readonly string[]): Promise<string | undefined> {
  if (clinicIds.length === 0) return undefined;
  const snaps = await tx.getAll(...clinicIds.map((c) => db.doc(paths.clinicMember(c, uid))));
  const i = snaps.findIndex((s) => {
    const m = memberOf(s);
    return m !== null && m.role === 'specialist' && isActiveGrant(m);
  });
  return i >= 0 ? clinicIds[i] : undefined;
}

/**
 * Whether the user is active staff of the clinic, from the membership document read in the transaction.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param clinicId - the clinic
 * @param uid - the user
 */
export async function isClinicStaffIn(tx: Transaction, db: Firestore, clinicId: string, uid: string): Promise<boolean> {
  const m = memberOf(await tx.get(db.doc(paths.clinicMember(clinicId, uid))));
  return m !== null && m.role === 'staff' && isActiveGrant(m);
}
