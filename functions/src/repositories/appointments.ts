/**
 * Admin-SDK access to appointments/{id}, its history and its slot locks. Reads take the transaction.
 */
import type { Firestore, QueryDocumentSnapshot, Transaction } from 'firebase-admin/firestore';
import { appointmentSchema, paths, slotLockSchema, type Appointment, type SlotLock } from '@telesalud/domain';

/**
 * The appointment, or null when there is none. A stored appointment that breaks its schema is our bug and throws.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param appointmentId - the appointment
 */
export async function appointmentIn(tx: Transaction, db: Firestore, appointmentId: string): Promise<Appointment | null> {
  const snap = await tx.get(db.doc(paths.appointment(appointmentId)));
  if (!snap.exists) return null;
  const parsed = appointmentSchema.safeParse(snap.data());
  if (!parsed.success) throw new Error(`invalid appointment ${snap.ref.path}`);
  return parsed.data;
}

/**
 * The slot locks an appointment holds, found by its id rather than recomputed from its times: the office's buffer may
 * have changed since the booking, and recomputed ids would then leave locks behind.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param specialistUid - whose locks
 * @param appointmentId - the holder
 */
export async function locksOfIn(tx: Transaction, db: Firestore, specialistUid: string, appointmentId: string): Promise<QueryDocumentSnapshot<SlotLock>[]> {
  const q = db
    .collection(`${paths.specialist(specialistUid)}/slotLocks`)
    .where('appointmentId', '==', appointmentId)
    .withConverter({ toFirestore: (l: SlotLock) => l, fromFirestore: (s) => slotLockSchema.parse(s.data()) });
  return (await tx.get(q)).docs;
}
