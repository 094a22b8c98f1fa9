/**
 * What booking and rescheduling share: checking that a requested time is an offered slot of an office, and the slot
 * locks that make two overlapping appointments of one specialist impossible.
 *
 * Conflicts are decided by the lock documents alone, not by reading appointments: every appointment holds
 * `slotLockIds(specialist, start, end, LOCK_GRANULARITY_MINUTES, office.bufferMinutes)`, and two appointments that
 * overlap (buffer included, in any two offices) share at least one id. Reading those documents in the transaction
 * puts them in its read set, so of two racing bookings one commits and the other, retried, finds the lock.
 *
 * A lock held by a prepaid appointment whose payment deadline passed unpaid is not a conflict: the booking that meets
 * it expires that appointment in its own transaction (expire-unpaid.ts), so a late or missed expiry job never keeps a
 * patient from a free slot.
 *
 * The length of a visit is the office's for the visit type (visitMinutes) and its price the office's for the site
 * (priceFor): a request names a slot, never an end or a price. The start must also fall in the specialist's booking
 * window (minimum notice, horizon: bookingTimeRefusal).
 */
import { randomBytes } from 'node:crypto';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  bookingSettingsOf,
  bookingTimeRefusal,
  generateSlots,
  isExpiredUnpaid,
  paths,
  priceFor,
  slotLockIds,
  slotLockSchema,
  utcToLocal,
  visitMinutes,
  type Appointment,
  type BookingSettings,
  type BookingTimeRefusal,
  type Money,
  type Office,
  type ScheduleException,
  type Specialist,
  type VISIT_TYPES,
} from '@telesalud/domain';
import { appointmentIn, locksOfIn } from '../repositories/appointments';
import { exceptionsIn, officeIn, specialistIn } from '../repositories/scheduling';
import type { UnpaidHold } from './expire-unpaid';

/** One granularity platform-wide: lock ids of different granularities never meet. Seeded grids are multiples of 5. */
export const LOCK_GRANULARITY_MINUTES = 5;

/** How long a prepaid booking holds its slot unpaid before the system releases it. */
export const PAYMENT_WINDOW_MINUTES = 30;

const MINUTE_MS = 60_000;

/** The time asked for. */
export interface SlotRequest {
  specialistUid: string;
  officeId: string;
  siteId: string;
  start: Date;
  /** With the office, decides the visit's length. */
  visitType: (typeof VISIT_TYPES)[number];
}

/** An offered slot, with everything the write phase needs. */
export interface ResolvedSlot {
  specialist: Specialist;
  office: Office;
  price: Money;
  start: Date;
  end: Date;
  lockIds: string[];
  /** The specialist's booking settings in force (the per-patient limit is checked by the booking). */
  settings: BookingSettings;
}

/** The error every "someone else has this time" answers with. already-exists, so a client tells it apart by code. */
export function slotTaken(): HttpsError {
  return new HttpsError('already-exists', 'That slot was just taken. Please pick another time.', { reason: 'slot-taken' });
}

const WINDOW_MESSAGES: Record<BookingTimeRefusal, (s: BookingSettings) => string> = {
  'slot-in-past': () => 'That time has already passed.',
  'too-soon': (s) => `This doctor takes bookings at least ${s.minNoticeMinutes} minutes ahead. Please pick a later time.`,
  'too-far': (s) => `This doctor takes bookings up to ${s.horizonDays} days ahead. Please pick an earlier time.`,
};

/**
 * Reads the specialist, the office and the day's exceptions in the transaction and checks the request is an offered
 * slot: the specialist approved and accepting the office's modality, a price for the site, a start inside the
 * specialist's booking window (notice and horizon) on the office's grid inside its hours, outside its breaks, and not
 * removed by an exception, all in the office's zone. The end is the start plus the office's length for the visit type.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param req - specialist, office, site, start and visit type
 * @param now - the transaction's clock
 * @param preRead - the specialist, when the caller read it first in this transaction
 * @throws HttpsError not-found (specialist, office), failed-precondition (not accepting, in the past, too soon, too
 *   far ahead, outside hours), invalid-argument (no price for the site)
 */
export async function resolveSlotIn(tx: Transaction, db: Firestore, req: SlotRequest, now: Date, preRead?: Specialist): Promise<ResolvedSlot> {
  const specialist = preRead ?? (await specialistIn(tx, db, req.specialistUid));
  const office = await officeIn(tx, db, req.specialistUid, req.officeId);
  const accepts = office.modality === 'video' ? specialist.acceptsVideo : specialist.acceptsInPerson;
  if (specialist.status !== 'approved' || !accepts) {
    throw new HttpsError('failed-precondition', 'This doctor is not accepting bookings.', { reason: 'doctor-not-accepting' });
  }
  const price = priceFor({ prices: office.prices, siteId: req.siteId });
  if (!price) throw new HttpsError('invalid-argument', 'This office has no price for that site.', { reason: 'no-price-for-site' });
  const settings = bookingSettingsOf(specialist.bookingSettings);
  const refusal = bookingTimeRefusal(req.start, now, settings);
  if (refusal) throw new HttpsError('failed-precondition', WINDOW_MESSAGES[refusal](settings), { reason: refusal });
  const exceptions: ScheduleException[] = await exceptionsIn(tx, db, req.specialistUid, req.officeId, utcToLocal(req.start, office.timeZone).date);
  const duration = visitMinutes(office, req.visitType);
  // Locks, not `busy`, decide conflicts; generateSlots answers only "is this a slot of the office's hours".
  const offered = generateSlots({
    office,
    officeId: req.officeId,
    from: req.start,
    to: new Date(req.start.getTime() + 1),
    exceptions,
    busy: [],
    now,
    durationMinutes: duration,
  });
  if (!offered.some((s) => s.start.getTime() === req.start.getTime())) {
    throw new HttpsError('failed-precondition', 'That time is outside the office hours.', { reason: 'outside-hours' });
  }
  const end = new Date(req.start.getTime() + duration * MINUTE_MS);
  const lockIds = slotLockIds(req.specialistUid, req.start, end, LOCK_GRANULARITY_MINUTES, office.bufferMinutes);
  return { specialist, office, price, start: req.start, end, lockIds, settings };
}

/** What the lock check found: locks the caller's own appointment already holds, and expired unpaid holders to expire. */
export interface LockCheck {
  /** Ids already held by `ownAppointmentId` (rescheduling): kept with tx.set rather than created. */
  own: Set<string>;
  /** Prepaid appointments past their payment deadline holding some of the ids: the caller expires them (expireUnpaidIn). */
  expired: UnpaidHold[];
  /** Ids held by an expired holder: rewritten with tx.set for the new holder rather than created. */
  reclaimed: Set<string>;
}

/**
 * Reads the lock documents in the transaction; a lock held by another appointment means the slot is taken, unless
 * that appointment is pending payment past its deadline: then its lock is free, and the appointment and all its locks
 * are returned for the caller to expire in the same transaction (a missed expiry job never blocks a patient).
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param specialistUid - whose locks
 * @param lockIds - the ids the new time needs
 * @param now - the transaction's clock
 * @param ownAppointmentId - when rescheduling: locks of the appointment being moved are not conflicts
 * @throws HttpsError already-exists ("slot just taken")
 */
export async function assertLocksFreeIn(
  tx: Transaction,
  db: Firestore,
  specialistUid: string,
  lockIds: readonly string[],
  now: Date,
  ownAppointmentId?: string,
): Promise<LockCheck> {
  const snaps = await tx.getAll(...lockIds.map((l) => db.doc(paths.slotLock(specialistUid, l))));
  const own = new Set<string>();
  const heldBy = new Map<string, string[]>();
  for (const snap of snaps) {
    if (!snap.exists) continue;
    const parsed = slotLockSchema.safeParse(snap.data());
    if (!parsed.success) throw new Error(`invalid slot lock ${snap.ref.path}`);
    const { appointmentId: holder, unpaidUntil } = parsed.data;
    if (ownAppointmentId !== undefined && holder === ownAppointmentId) own.add(snap.id);
    // Only a holder whose payment deadline has passed can have let go: any other lock is taken, without a read.
    else if (unpaidUntil === undefined || unpaidUntil.toDate().getTime() > now.getTime()) throw slotTaken();
    else heldBy.set(holder, [...(heldBy.get(holder) ?? []), snap.id]);
  }
  const expired: UnpaidHold[] = [];
  const reclaimed = new Set<string>();
  for (const [appointmentId, ids] of heldBy) {
    const appointment: Appointment | null = await appointmentIn(tx, db, appointmentId);
    // A lock without its appointment is our bug; it stays a conflict rather than letting two visits overlap.
    if (!appointment || !isExpiredUnpaid(appointment, now)) throw slotTaken();
    expired.push({ id: appointmentId, appointment, locks: await locksOfIn(tx, db, specialistUid, appointmentId) });
    for (const id of ids) reclaimed.add(id);
  }
  return { own, expired, reclaimed };
}

/**
 * A video channel id: 128 random bits in hex, so it is unguessable and never shaped like a reserved `__x__` id.
 */
export function newVideoChannel(): string {
  return randomBytes(16).toString('hex');
}
