/**
 * rescheduleAppointment (the appointment's patient, its specialist, or active staff of its clinic): moves a
 * pending_payment or confirmed appointment to another offered slot, optionally at another office of the same
 * specialist or another site, in one transaction. The new slot's locks are checked ignoring the appointment's own
 * (moving a visit 15 minutes overlaps itself), then the new locks are created, the old ones no longer needed deleted,
 * the busy projection moved, and a history entry with `rescheduledFrom` written. The status does not change.
 *
 * Decisions:
 * - Patients may move a visit only in the clinic's free window (canReschedule), so a late move cannot dodge the
 *   late-cancellation fee; specialists and staff always may.
 * - The request names a slot, as a booking does: the length comes from the (new) office and the appointment's visit
 *   type, the price from the office's price for the site, and the start must be inside the specialist's booking
 *   window (notice, horizon). A paid appointment whose price would change is refused (failed-precondition
 *   `price-changed`): cancel and book instead.
 * - An unpaid appointment past its payment deadline no longer holds a time and cannot be moved (`payment-expired`);
 *   another such appointment holding the new time is expired in this transaction, as a booking does.
 * - Moving to an office of the other modality gives the appointment a video room, or removes it.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  appointmentHistoryEntrySchema,
  appointmentSchema,
  CALLABLES,
  canReschedule,
  isExpiredUnpaid,
  paths,
  RESCHEDULABLE_STATUSES,
  slotLockSchema,
  type AppointmentStatus,
  type RescheduleAppointmentRequest,
  type RescheduleAppointmentResponse,
} from '@telesalud/domain';
import { auditRoleOf, writeAudit } from '../audit';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { locksOfIn } from '../repositories/appointments';
import { addBusy, readBusyDays, removeBusy, writeBusyDays } from '../repositories/busy';
import { payloadHash, readIdempotent, writeIdempotent } from '../repositories/idempotency';
import { appointmentAccessIn } from './authority';
import type { BookingDeps } from './book-appointment';
import { policyOfIn } from './cancel-appointment';
import { expireUnpaidIn, spanOf } from './expire-unpaid';
import { notifyIn } from './notify';
import { assertLocksFreeIn, newVideoChannel, resolveSlotIn } from './slot';
import { runBookingTransaction } from './transaction';

const RESCHEDULABLE: readonly AppointmentStatus[] = RESCHEDULABLE_STATUSES;

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - the signed-in caller
 * @param deps - the admin Firestore
 */
export async function handleRescheduleAppointment(req: RescheduleAppointmentRequest, caller: Caller, deps: BookingDeps): Promise<RescheduleAppointmentResponse> {
  const { db } = deps;
  const response = CALLABLES.rescheduleAppointment.response;
  const key = { uid: caller.uid, key: req.idempotencyKey, callable: 'rescheduleAppointment' as const, hash: payloadHash('rescheduleAppointment', req) };
  const ref = db.doc(paths.appointment(req.appointmentId));
  const { answer, replayed, role } = await runBookingTransaction(db, async (tx) => {
    const stored = await readIdempotent(tx, db, key, response);
    if (stored) return { answer: stored, replayed: true, role: 'replay' };
    const now = Timestamp.now();
    const { appointment, actor } = await appointmentAccessIn(tx, db, req.appointmentId, caller);
    if (!RESCHEDULABLE.includes(appointment.status)) {
      throw new HttpsError('failed-precondition', `A ${appointment.status} appointment cannot be moved.`, { reason: 'not-reschedulable' });
    }
    if (isExpiredUnpaid(appointment, now.toDate())) {
      throw new HttpsError('failed-precondition', 'This appointment was not paid in time; please book a new one.', { reason: 'payment-expired' });
    }
    const policy = await policyOfIn(tx, db, appointment);
    const oldStart = appointment.start.toDate();
    const oldEnd = appointment.end.toDate();
    const may = canReschedule({ appointmentStart: oldStart, now: now.toDate(), policy, actor });
    if (!may.allowed) throw new HttpsError('failed-precondition', 'This appointment can no longer be moved.', { reason: may.reason });
    const slot = await resolveSlotIn(
      tx,
      db,
      {
        specialistUid: appointment.specialistUid,
        officeId: req.officeId ?? appointment.officeId,
        siteId: req.siteId ?? appointment.siteId,
        start: new Date(req.start),
        visitType: appointment.visitType,
      },
      now.toDate(),
    );
    const paid = appointment.paymentPolicy === 'prepay' && appointment.status === 'confirmed';
    if (paid && (slot.price.amount !== appointment.price.amount || slot.price.currency !== appointment.price.currency)) {
      throw new HttpsError('failed-precondition', 'The new time has a different price; cancel and book it instead.', { reason: 'price-changed' });
    }
    const { own, expired, reclaimed } = await assertLocksFreeIn(tx, db, appointment.specialistUid, slot.lockIds, now.toDate(), req.appointmentId);
    const oldLocks = await locksOfIn(tx, db, appointment.specialistUid, req.appointmentId);
    const busy = await readBusyDays(tx, db, appointment.specialistUid, [{ start: oldStart, end: oldEnd }, slot, ...expired.map((h) => spanOf(h.appointment))]);

    // Writes only from here on.
    const startTs = Timestamp.fromDate(slot.start);
    const endTs = Timestamp.fromDate(slot.end);
    const video = slot.office.modality === 'video';
    // Replaced whole: a room left over from a video office must not survive a move to an in-person one.
    const { videoRoom, ...rest } = appointment;
    const moved = appointmentSchema.parse({
      ...rest,
      officeId: req.officeId ?? appointment.officeId,
      siteId: req.siteId ?? appointment.siteId,
      modality: slot.office.modality,
      timeZone: slot.office.timeZone,
      start: startTs,
      end: endTs,
      price: slot.price,
      ...(video ? { videoRoom: videoRoom ?? { channel: newVideoChannel(), createdAt: now } } : {}),
      updatedAt: now,
    });
    tx.set(ref, moved);
    for (const hold of expired) expireUnpaidIn(tx, db, hold, busy, now, reclaimed);
    const unpaidUntil = appointment.status === 'pending_payment' ? appointment.paymentDueAt : undefined;
    const lock = slotLockSchema.parse({ appointmentId: req.appointmentId, start: startTs, end: endTs, ...(unpaidUntil ? { unpaidUntil } : {}) });
    const wanted = new Set(slot.lockIds);
    for (const l of oldLocks) if (!wanted.has(l.id)) tx.delete(l.ref);
    for (const lockId of slot.lockIds) {
      const lockRef = db.doc(paths.slotLock(appointment.specialistUid, lockId));
      if (own.has(lockId) || reclaimed.has(lockId)) tx.set(lockRef, lock);
      else tx.create(lockRef, lock);
    }
    removeBusy(busy, { start: oldStart, end: oldEnd });
    addBusy(busy, slot);
    writeBusyDays(tx, busy);
    tx.create(
      db.collection(paths.appointmentHistory(req.appointmentId)).doc(),
      appointmentHistoryEntrySchema.parse({
        at: now,
        by: caller.uid,
        role: actor,
        from: appointment.status,
        to: appointment.status,
        rescheduledFrom: { start: appointment.start, end: appointment.end },
      }),
    );
    for (const to of [appointment.patientUid, appointment.specialistUid]) {
      if (to !== caller.uid) notifyIn(tx, db, to, 'appointment_rescheduled', req.appointmentId, slot.start, slot.office.timeZone, now);
    }
    await writeAudit(
      db,
      { who: caller.uid, role: auditRoleOf(caller.uid, caller.roles), action: 'appointment.reschedule', target: ref.path, outcome: 'allowed', requestId: caller.requestId, reason: may.reason },
      tx,
    );
    const status = appointment.status === 'pending_payment' ? 'pending_payment' : 'confirmed';
    const answer = response.parse({ appointmentId: req.appointmentId, status, start: slot.start.toISOString(), end: slot.end.toISOString(), price: slot.price });
    writeIdempotent(tx, db, key, answer, now);
    return { answer, replayed: false, role: actor };
  });
  logs.appointmentRescheduled(req.appointmentId, role, replayed, caller.requestId);
  return answer;
}

/**
 * The callable's spec for defineCallable.
 * @param deps - the admin Firestore
 */
export function rescheduleAppointmentCallable(deps: BookingDeps): CallableSpec<typeof CALLABLES.rescheduleAppointment.request, RescheduleAppointmentResponse> {
  return callableSpec('rescheduleAppointment', ['patient', 'specialist', 'staff'], (data, caller) => handleRescheduleAppointment(data, caller, deps));
}
