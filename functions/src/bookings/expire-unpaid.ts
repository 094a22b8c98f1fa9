/**
 * Expiry of unpaid prepaid bookings: an appointment still `pending_payment` after its `paymentDueAt` is cancelled by
 * the system and frees its slot (locks deleted, busy projection updated, a history entry, both sides notified).
 *
 * Two paths do it, with the same write code (expireUnpaidIn):
 * - a booking or reschedule transaction that meets such an appointment's lock expires it on the spot (slot.ts), so a
 *   patient is never blocked by a job that is late or did not run;
 * - the scheduled job (`bookingsExpireUnpaid`, every 5 minutes) sweeps the rest in bounded batches.
 *
 * Decisions:
 * - Idempotent: each appointment is expired in its own transaction that reads it again first; one that was paid,
 *   cancelled or already expired in the meantime is left alone, so two runs (or a run and a booking) never expire twice.
 * - The sweep orders by `paymentDueAt` and pages with a cursor, so an appointment that fails to expire (its document
 *   breaks the schema) cannot make the sweep loop on it; failures are logged one by one and fail the run at the end,
 *   so the scheduler reports and retries it.
 * - Nobody pays for an unpaid booking: fee and refund are zero in the appointment's currency.
 */
import { Timestamp, type Firestore, type QueryDocumentSnapshot, type Transaction } from 'firebase-admin/firestore';
import {
  appointmentHistoryEntrySchema,
  appointmentSchema,
  isExpiredUnpaid,
  paths,
  type Appointment,
  type SlotLock,
} from '@telesalud/domain';
import { logs } from '../logs';
import { appointmentIn, locksOfIn } from '../repositories/appointments';
import { readBusyDays, removeBusy, writeBusyDays, type BusyDays } from '../repositories/busy';
import { notifyIn } from './notify';
import { runBookingTransaction } from './transaction';

/** The history note and the patient-visible cancellation reason of an expiry. */
export const EXPIRY_NOTE = 'payment-expired';
const EXPIRY_REASON = 'Pago no recibido antes del plazo';

/** A pending_payment appointment past its deadline, with every lock it holds, as read in a transaction. */
export interface UnpaidHold {
  id: string;
  appointment: Appointment;
  locks: QueryDocumentSnapshot<SlotLock>[];
}

/** The interval an appointment occupies, as plain instants. */
export function spanOf(a: Appointment): { start: Date; end: Date } {
  return { start: a.start.toDate(), end: a.end.toDate() };
}

/**
 * Writes the expiry of one unpaid appointment (writes only: every read was done by the caller's transaction). The busy
 * days are changed in memory; the caller writes them once, with its own changes.
 * @param tx - the transaction that read `hold` and `busy`
 * @param db - the admin Firestore
 * @param hold - the appointment and its locks
 * @param busy - the busy days read in the transaction, covering the appointment's interval
 * @param now - the transaction's clock
 * @param keep - lock ids the caller rewrites for its own appointment (not deleted here)
 */
export function expireUnpaidIn(tx: Transaction, db: Firestore, hold: UnpaidHold, busy: BusyDays, now: Timestamp, keep: ReadonlySet<string> = new Set()): void {
  const a = hold.appointment;
  const zero = { amount: 0, currency: a.price.currency };
  tx.set(
    db.doc(paths.appointment(hold.id)),
    appointmentSchema.parse({
      ...a,
      status: 'cancelled',
      cancellation: { by: null, role: 'system', at: now, fee: zero, refund: zero, reason: EXPIRY_REASON },
      updatedAt: now,
    }),
  );
  tx.create(
    db.collection(paths.appointmentHistory(hold.id)).doc(),
    appointmentHistoryEntrySchema.parse({ at: now, by: null, role: 'system', from: a.status, to: 'cancelled', note: EXPIRY_NOTE }),
  );
  for (const l of hold.locks) if (!keep.has(l.id)) tx.delete(l.ref);
  removeBusy(busy, spanOf(a));
  for (const to of [a.patientUid, a.specialistUid]) notifyIn(tx, db, to, 'appointment_cancelled', hold.id, a.start.toDate(), a.timeZone, now);
}

/**
 * Expires one appointment if it is still unpaid past its deadline, in its own transaction.
 * @param db - the admin Firestore
 * @param appointmentId - the candidate
 * @returns whether this call expired it
 */
export async function expireOne(db: Firestore, appointmentId: string): Promise<boolean> {
  return runBookingTransaction(db, async (tx) => {
    const now = Timestamp.now();
    const appointment = await appointmentIn(tx, db, appointmentId);
    if (!appointment || !isExpiredUnpaid(appointment, now.toDate())) return false;
    const locks = await locksOfIn(tx, db, appointment.specialistUid, appointmentId);
    const busy = await readBusyDays(tx, db, appointment.specialistUid, [spanOf(appointment)]);
    expireUnpaidIn(tx, db, { id: appointmentId, appointment, locks }, busy, now);
    writeBusyDays(tx, busy);
    return true;
  });
}

/** Bounds of one sweep: at most batchSize × maxBatches appointments per run; the next run takes the rest. */
export interface SweepOptions {
  batchSize?: number;
  maxBatches?: number;
}

/** What one sweep did. */
export interface SweepResult {
  expired: number;
  /** Candidates someone else settled first (paid, cancelled, expired by a booking). */
  skipped: number;
  batches: number;
}

/**
 * The scheduled job: expires every unpaid appointment past its deadline at `now`, in bounded batches.
 * @param db - the admin Firestore
 * @param now - the sweep's clock (deadlines at or before it are due)
 * @param options - batch bounds
 * @throws Error after the sweep when some appointments could not be expired (each one is logged)
 */
export async function handleExpireUnpaid(db: Firestore, now: Date = new Date(), options: SweepOptions = {}): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.maxBatches ?? 10;
  const result: SweepResult = { expired: 0, skipped: 0, batches: 0 };
  const failed: string[] = [];
  let query = db
    .collection(paths.appointments())
    .where('status', '==', 'pending_payment')
    .where('paymentDueAt', '<=', Timestamp.fromDate(now))
    .orderBy('paymentDueAt')
    .limit(batchSize);
  while (result.batches < maxBatches) {
    const page = await query.get();
    result.batches++;
    for (const doc of page.docs) {
      try {
        if (await expireOne(db, doc.id)) {
          result.expired++;
          logs.appointmentExpired(doc.id, 'job');
        } else result.skipped++;
      } catch (e) {
        failed.push(doc.id);
        logs.appointmentExpiryFailed(doc.id, e);
      }
    }
    const last = page.docs.at(-1);
    if (!last || page.docs.length < batchSize) break;
    query = query.startAfter(last);
  }
  logs.unpaidSweep(result.expired, result.skipped, failed.length, result.batches);
  if (failed.length > 0) throw new Error(`${failed.length} unpaid appointments could not be expired`);
  return result;
}
