/**
 * bookAppointment (patients): the only way an appointment comes to exist from an offered slot.
 *
 * One read-write transaction reads, in this order, the specialist, the caller's idempotency record, the office, the
 * day's exceptions, the specialist's clinic memberships, the slot locks (and the appointments holding them), the
 * caller's active bookings and the busy days; then it writes the appointment, its first history entry, every slot
 * lock, the busy projection, the specialist's notification and the idempotency record, and expires any unpaid booking
 * past its deadline whose lock it took over (expire-unpaid.ts). All or nothing: a failed check writes nothing, and
 * two overlapping bookings cannot both commit because they share a lock document (slot.ts).
 *
 * Decisions:
 * - "Slot just taken" is `already-exists` (reason `slot-taken`); other refusals of a time (in the past, outside hours,
 *   doctor not accepting) are `failed-precondition`, so the client can tell "pick another slot" from "this doctor
 *   cannot be booked".
 * - The request names a slot (start, office, visit type). The price comes from the office's price for the site; the
 *   status from the specialist's payment policy; the end from the office and visit type. A prepaid booking must be
 *   paid within PAYMENT_WINDOW_MINUTES (never later than the start).
 * - The start must be inside the specialist's booking window (minimum notice, horizon), and the patient may hold at
 *   most the specialist's `maxActivePerPatient` active future bookings with them and MAX_ACTIVE_BOOKINGS_PER_PATIENT
 *   overall (`resource-exhausted`, reasons `too-many-with-specialist` / `too-many-bookings`). The count is a query in
 *   the transaction, so two bookings of one patient racing past the limit cannot both commit.
 * - clinicId is the first clinic of the profile where the specialist's specialist membership is active, so that
 *   clinic's staff manage it and its cancellation policy applies.
 * - The history's creation entry is the system's (role system, by null), as the status table says; the appointment's
 *   patientUid records who booked.
 * - The specialist is notified with `appointment_confirmed`, or `payment_due` while the visit awaits payment.
 */
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  ACTIVE_BOOKING_STATUSES,
  appointmentHistoryEntrySchema,
  appointmentSchema,
  bookingLimitRefusal,
  CALLABLES,
  initialAppointmentStatus,
  isActiveBooking,
  MAX_ACTIVE_BOOKINGS_PER_PATIENT,
  paths,
  slotLockSchema,
  type BookAppointmentRequest,
  type BookAppointmentResponse,
  type BookingLimitRefusal,
  type BookingSettings,
} from '@telesalud/domain';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { addBusy, readBusyDays, writeBusyDays } from '../repositories/busy';
import { payloadHash, readIdempotent, writeIdempotent } from '../repositories/idempotency';
import { bookingClinicIn, specialistIn } from '../repositories/scheduling';
import { expireUnpaidIn, spanOf } from './expire-unpaid';
import { notifyIn } from './notify';
import { assertLocksFreeIn, newVideoChannel, PAYMENT_WINDOW_MINUTES, resolveSlotIn } from './slot';
import { runBookingTransaction } from './transaction';

const MINUTE_MS = 60_000;
/**
 * How many of a patient's active appointments the limit check reads. Above the platform cap, so a patient at the cap
 * is seen to be there; a few more, since unpaid ones past their deadline match the query but do not count.
 */
const ACTIVE_SCAN = MAX_ACTIVE_BOOKINGS_PER_PATIENT + 20;

const LIMIT_MESSAGES: Record<BookingLimitRefusal, (s: BookingSettings) => string> = {
  'too-many-with-specialist': (s) => `You already have ${s.maxActivePerPatient} upcoming appointments with this doctor.`,
  'too-many-bookings': () => `You already have ${MAX_ACTIVE_BOOKINGS_PER_PATIENT} upcoming appointments.`,
};

/**
 * Refuses a booking over the patient's limits, from the patient's active future appointments read in the transaction.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param patientUid - who books
 * @param specialistUid - with whom
 * @param settings - the specialist's settings in force
 * @param now - the transaction's clock
 * @throws HttpsError resource-exhausted with reason too-many-with-specialist or too-many-bookings
 */
async function assertUnderLimitsIn(tx: Transaction, db: Firestore, patientUid: string, specialistUid: string, settings: BookingSettings, now: Timestamp): Promise<void> {
  const q = db
    .collection(paths.appointments())
    .where('patientUid', '==', patientUid)
    .where('status', 'in', [...ACTIVE_BOOKING_STATUSES])
    .where('end', '>', now)
    .limit(ACTIVE_SCAN);
  const active = (await tx.get(q)).docs
    .map((d) => {
      // A stored appointment that breaks its schema is our bug: skipping it would let the patient past the limit.
      const parsed = appointmentSchema.safeParse(d.data());
      if (!parsed.success) throw new Error(`invalid appointment ${d.ref.path}`);
      return parsed.data;
    })
    .filter((a) => isActiveBooking(a, now.toDate()));
  const refusal = bookingLimitRefusal({ active, specialistUid, settings });
  if (refusal) throw new HttpsError('resource-exhausted', LIMIT_MESSAGES[refusal](settings), { reason: refusal });
}

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
  const { answer, replayed, expired } = await runBookingTransaction(db, async (tx) => {
    // The specialist first: every booking of this specialist takes its lock before any other, so racers queue in
    // arrival order instead of wounding each other halfway (wound-wait aborts a younger holder an older one needs).
    const specialist = await specialistIn(tx, db, req.specialistUid);
    const stored = await readIdempotent(tx, db, key, response);
    if (stored) return { answer: stored, replayed: true, expired: [] };
    const now = Timestamp.now();
    const slot = await resolveSlotIn(tx, db, { ...req, start }, now.toDate(), specialist);
    const clinicId = await bookingClinicIn(tx, db, req.specialistUid, slot.specialist.clinicIds);
    const locks = await assertLocksFreeIn(tx, db, req.specialistUid, slot.lockIds, now.toDate());
    // After the locks: of many patients racing for one slot, the losers stop at the lock without running this query.
    await assertUnderLimitsIn(tx, db, caller.uid, req.specialistUid, slot.settings, now);
    const busy = await readBusyDays(tx, db, req.specialistUid, [slot, ...locks.expired.map((h) => spanOf(h.appointment))]);

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
    for (const hold of locks.expired) expireUnpaidIn(tx, db, hold, busy, now, locks.reclaimed);
    const lock = slotLockSchema.parse({ appointmentId: ref.id, start: startTs, end: endTs, ...(dueAt ? { unpaidUntil: dueAt } : {}) });
    for (const lockId of slot.lockIds) {
      const lockRef = db.doc(paths.slotLock(req.specialistUid, lockId));
      // A lock taken over from an expired booking exists: rewrite it; every other one must not exist yet.
      if (locks.reclaimed.has(lockId)) tx.set(lockRef, lock);
      else tx.create(lockRef, lock);
    }
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
    return { answer, replayed: false, expired: locks.expired.map((h) => h.id) };
  });
  for (const id of expired) logs.appointmentExpired(id, 'booking');
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
