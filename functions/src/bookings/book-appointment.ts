/**
 * bookAppointment (patients): the only way an appointment comes to exist from an offered slot.
 *
 * One read-write transaction reads, in this order, the specialist, the caller's idempotency record, the office, the
 * specialist's clinic memberships, the day's exceptions, the slot locks and the busy days; then it writes the
 * appointment, its first history entry, every slot lock, the busy projection, the specialist's notification and the
 * idempotency record. All or nothing: a failed check writes nothing, and two overlapping bookings cannot both commit
 * because they share a lock document (slot.ts).
 *
 * Decisions:
 * - "Slot just taken" is `already-exists` (reason `slot-taken`); other refusals of a time (in the past, outside hours,
 *   doctor not accepting) are `failed-precondition`, so the client can tell "pick another slot" from "this doctor
 *   cannot be booked".
 * - The price comes from the office's price for the site; the status from the specialist's payment policy; the end
 *   from the duration (the office's slot length when absent). A prepaid booking must be paid within
 *   PAYMENT_WINDOW_MINUTES (never later than the start).
 * - clinicId is the first clinic of the profile where the specialist's specialist membership is active, so that
 *   clinic's staff manage it and its cancellation policy applies.
 * - The history's creation entry is the system's (role system, by null), as the status table says; the appointment's
 *   patientUid records who booked.
 * - The specialist is notified with `appointment_confirmed`, or `payment_due` while the visit awaits payment.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  appointmentHistoryEntrySchema,
  appointmentSchema,
  CALLABLES,
  initialAppointmentStatus,
  paths,
  slotLockSchema,
  type BookAppointmentRequest,
  type BookAppointmentResponse,
} from '@telesalud/domain';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { addBusy, readBusyDays, writeBusyDays } from '../repositories/busy';
import { payloadHash, readIdempotent, writeIdempotent } from '../repositories/idempotency';
import { bookingClinicIn, specialistIn } from '../repositories/scheduling';
import { notifyIn } from './notify';
import { assertLocksFreeIn, newVideoChannel, PAYMENT_WINDOW_MINUTES, resolveSlotIn } from './slot';
import { runBookingTransaction } from './transaction';

const MINUTE_MS = 60_000;

/** What the booking needs from the outside world. */
export interface BookingDeps {
  db: Firestore;
}

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - a signed-in patient
 * @param deps - the admin Firestore
 */
export async function handleBookAppointment(req: BookAppointmentRequest, caller: Caller, deps: BookingDeps): Promise<BookAppointmentResponse> {
  const { db } = deps;
  const response = CALLABLES.bookAppointment.response;
  if (req.specialistUid === caller.uid) {
    throw new HttpsError('failed-precondition', 'You cannot book an appointment with yourself.', { reason: 'own-booking' });
  }
  const key = { uid: caller.uid, key: req.idempotencyKey, callable: 'bookAppointment' as const, hash: payloadHash('bookAppointment', req) };
  const start = new Date(req.start);
  const { answer, replayed } = await runBookingTransaction(db, async (tx) => {
    // The specialist first: every booking of this specialist takes its lock before any other, so racers queue in
    // arrival order instead of wounding each other halfway (wound-wait aborts a younger holder an older one needs).
    const specialist = await specialistIn(tx, db, req.specialistUid);
    const stored = await readIdempotent(tx, db, key, response);
    if (stored) return { answer: stored, replayed: true };
    const now = Timestamp.now();
    const slot = await resolveSlotIn(tx, db, { ...req, start, durationMinutes: req.durationMinutes }, now.toDate(), specialist);
    const clinicId = await bookingClinicIn(tx, db, req.specialistUid, slot.specialist.clinicIds);
    await assertLocksFreeIn(tx, db, req.specialistUid, slot.lockIds);
    const busy = await readBusyDays(tx, db, req.specialistUid, [slot]);

    // Writes only from here on: a transaction reads everything first.
    const ref = db.collection(paths.appointments()).doc();
    const policy = slot.specialist.paymentPolicy;
    const status = initialAppointmentStatus('booking', policy);
    const dueAt =
      status === 'pending_payment' ? Timestamp.fromMillis(Math.min(now.toMillis() + PAYMENT_WINDOW_MINUTES * MINUTE_MS, slot.start.getTime())) : undefined;
    const startTs = Timestamp.fromDate(slot.start);
    const endTs = Timestamp.fromDate(slot.end);
    const appointment = appointmentSchema.parse({
      patientUid: caller.uid,
      specialistUid: req.specialistUid,
      ...(clinicId !== undefined ? { clinicId } : {}),
      officeId: req.officeId,
      siteId: req.siteId,
      modality: slot.office.modality,
      start: startTs,
      end: endTs,
      timeZone: slot.office.timeZone,
      reason: req.reason,
      visitType: req.visitType,
      forWhom: req.forWhom,
      ...(req.dependantName !== undefined ? { dependantName: req.dependantName } : {}),
      contactPhone: req.contactPhone,
      price: slot.price,
      paymentPolicy: policy,
      status,
      ...(dueAt ? { paymentDueAt: dueAt } : {}),
      ...(slot.office.modality === 'video' ? { videoRoom: { channel: newVideoChannel(), createdAt: now } } : {}),
      idempotencyKey: req.idempotencyKey,
      createdAt: now,
      updatedAt: now,
    });
    tx.create(ref, appointment);
    tx.create(
      db.collection(paths.appointmentHistory(ref.id)).doc(),
      appointmentHistoryEntrySchema.parse({ at: now, by: null, role: 'system', from: null, to: status, note: 'booked' }),
    );
    const lock = slotLockSchema.parse({ appointmentId: ref.id, start: startTs, end: endTs });
    for (const lockId of slot.lockIds) tx.create(db.doc(paths.slotLock(req.specialistUid, lockId)), lock);
    addBusy(busy, slot);
    writeBusyDays(tx, busy);
    notifyIn(tx, db, req.specialistUid, status === 'confirmed' ? 'appointment_confirmed' : 'payment_due', ref.id, slot.start, slot.office.timeZone, now);
    const answer = response.parse({
      appointmentId: ref.id,
      status,
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
      price: slot.price,
      ...(dueAt ? { paymentDueAt: dueAt.toDate().toISOString() } : {}),
    });
    writeIdempotent(tx, db, key, answer, now);
    return { answer, replayed: false };
  });
  logs.appointmentBooked(answer.appointmentId, req.specialistUid, answer.status, replayed, caller.requestId);
  return answer;
}

/**
 * The callable's spec for defineCallable.
 * @param deps - the admin Firestore
 */
export function bookAppointmentCallable(deps: BookingDeps): CallableSpec<typeof CALLABLES.bookAppointment.request, BookAppointmentResponse> {
  return callableSpec('bookAppointment', ['patient'], (data, caller) => handleBookAppointment(data, caller, deps));
}
