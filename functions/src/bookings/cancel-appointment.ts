/**
 * cancelAppointment (the appointment's patient, its specialist, or active staff of its clinic).
 *
 * One transaction reads the idempotency record, the appointment, the caller's authority (membership grant for
 * staff), the clinic's policy, the appointment's slot locks and its busy days; then writes the cancelled appointment
 * with its cancellation record, a history entry, an audit entry, deletes the locks (freeing the slot at once),
 * removes the interval from the busy projection, notifies the other side and stores the idempotency record.
 *
 * Decisions:
 * - An appointment with no clinic uses DEFAULT_CANCELLATION_POLICY: the usual 24-hour window and no fee, since
 *   nobody set one.
 * - "Paid" means a prepaid appointment already confirmed (the webhook confirms it on payment); a pay-at-visit or a
 *   pending_payment one refunds nothing.
 * - A patient cannot cancel from the start on (cancellationOutcome: `already_started`): failed-precondition.
 *   Cancelling an already cancelled (or completed) appointment with a new key is failed-precondition too; the same
 *   key returns the first answer.
 */
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  appointmentHistoryEntrySchema,
  appointmentSchema,
  CALLABLES,
  canTransition,
  cancellationOutcome,
  paths,
  type Appointment,
  type CancelAppointmentRequest,
  type CancelAppointmentResponse,
  type CancellationPolicy,
} from '@telesalud/domain';
import { auditRoleOf, writeAudit } from '../audit';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { locksOfIn } from '../repositories/appointments';
import { readBusyDays, removeBusy, writeBusyDays } from '../repositories/busy';
import { payloadHash, readIdempotent, writeIdempotent } from '../repositories/idempotency';
import { clinicIn } from '../repositories/scheduling';
import { appointmentAccessIn } from './authority';
import type { BookingDeps } from './book-appointment';
import { notifyIn } from './notify';
import { runBookingTransaction } from './transaction';

/**
 * The policy of an appointment without a clinic.
 * @param currency - the appointment's currency (the fee is zero in it)
 */
export function defaultCancellationPolicy(currency: string): CancellationPolicy {
  return { cancellationWindowHours: 24, lateCancellationFee: { amount: 0, currency } };
}

/**
 * The cancellation policy that governs an appointment: its clinic's, or the default.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param appointment - the appointment
 */
export async function policyOfIn(tx: Transaction, db: Firestore, appointment: Appointment): Promise<CancellationPolicy> {
  const clinic = appointment.clinicId !== undefined ? await clinicIn(tx, db, appointment.clinicId) : null;
  return clinic ? clinic.policies : defaultCancellationPolicy(appointment.price.currency);
}

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - the signed-in caller
 * @param deps - the admin Firestore
 */
export async function handleCancelAppointment(req: CancelAppointmentRequest, caller: Caller, deps: BookingDeps): Promise<CancelAppointmentResponse> {
  const { db } = deps;
  const response = CALLABLES.cancelAppointment.response;
  const key = { uid: caller.uid, key: req.idempotencyKey, callable: 'cancelAppointment' as const, hash: payloadHash('cancelAppointment', req) };
  const ref = db.doc(paths.appointment(req.appointmentId));
  const { answer, replayed, role, why } = await runBookingTransaction(db, async (tx) => {
    const stored = await readIdempotent(tx, db, key, response);
    if (stored) return { answer: stored, replayed: true, role: 'replay', why: 'replay' };
    const now = Timestamp.now();
    const { appointment, actor } = await appointmentAccessIn(tx, db, req.appointmentId, caller);
    if (!canTransition(appointment.status, 'cancelled', actor, appointment.paymentPolicy)) {
      throw new HttpsError('failed-precondition', `A ${appointment.status} appointment cannot be cancelled.`, { reason: 'not-cancellable' });
    }
    const policy = await policyOfIn(tx, db, appointment);
    const start = appointment.start.toDate();
    const end = appointment.end.toDate();
    const outcome = cancellationOutcome({
      appointmentStart: start,
      now: now.toDate(),
      policy,
      price: appointment.price,
      paid: appointment.paymentPolicy === 'prepay' && appointment.status === 'confirmed',
      actor,
    });
    if (!outcome.allowed) {
      throw new HttpsError('failed-precondition', 'The visit has already started; it can no longer be cancelled.', { reason: outcome.reason });
    }
    const locks = await locksOfIn(tx, db, appointment.specialistUid, req.appointmentId);
    const busy = await readBusyDays(tx, db, appointment.specialistUid, [{ start, end }]);

    // Writes only from here on.
    tx.set(
      ref,
      appointmentSchema.parse({
        ...appointment,
        status: 'cancelled',
        cancellation: { by: caller.uid, role: actor, at: now, fee: outcome.fee, refund: outcome.refund, reason: req.reason },
        updatedAt: now,
      }),
    );
    tx.create(
      db.collection(paths.appointmentHistory(req.appointmentId)).doc(),
      appointmentHistoryEntrySchema.parse({ at: now, by: caller.uid, role: actor, from: appointment.status, to: 'cancelled' }),
    );
    for (const l of locks) tx.delete(l.ref);
    removeBusy(busy, { start, end });
    writeBusyDays(tx, busy);
    for (const to of [appointment.patientUid, appointment.specialistUid]) {
      if (to !== caller.uid) notifyIn(tx, db, to, 'appointment_cancelled', req.appointmentId, start, appointment.timeZone, now);
    }
    await writeAudit(
      db,
      { who: caller.uid, role: auditRoleOf(caller.uid, caller.roles), action: 'appointment.transition', target: ref.path, outcome: 'allowed', requestId: caller.requestId, reason: `${appointment.status}-to-cancelled` },
      tx,
    );
    const answer = response.parse({ appointmentId: req.appointmentId, status: 'cancelled', fee: outcome.fee, refund: outcome.refund });
    writeIdempotent(tx, db, key, answer, now);
    return { answer, replayed: false, role: actor, why: outcome.reason };
  });
  logs.appointmentCancelled(req.appointmentId, role, why, replayed, caller.requestId);
  return answer;
}

/**
 * The callable's spec for defineCallable.
 * @param deps - the admin Firestore
 */
export function cancelAppointmentCallable(deps: BookingDeps): CallableSpec<typeof CALLABLES.cancelAppointment.request, CancelAppointmentResponse> {
  return callableSpec('cancelAppointment', ['patient', 'specialist', 'staff'], (data, caller) => handleCancelAppointment(data, caller, deps));
}
