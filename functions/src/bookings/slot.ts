/**
 * What booking and rescheduling share: checking that a requested time is an offered slot of an office, and the slot
 * locks that make two overlapping appointments of one specialist impossible.
 *
 * Conflicts are decided by the lock documents alone, not by reading appointments: every appointment holds
 * `slotLockIds(specialist, start, end, LOCK_GRANULARITY_MINUTES, office.bufferMinutes)`, and two appointments that
 * overlap (buffer included, in any two offices) share at least one id. Reading those documents in the transaction
 * puts them in its read set, so of two racing bookings one commits and the other, retried, finds the lock.
 */
import { randomBytes } from 'node:crypto';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  generateSlots,
  paths,
  priceFor,
  slotLockIds,
  utcToLocal,
  type Money,
  type Office,
  type ScheduleException,
  type Specialist,
} from '@telesalud/domain';
import { exceptionsIn, officeIn, specialistIn } from '../repositories/scheduling';

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
  /** Absent: the office's slot length. */
  durationMinutes: number | undefined;
}

/** An offered slot, with everything the write phase needs. */
export interface ResolvedSlot {
  specialist: Specialist;
  office: Office;
  price: Money;
  start: Date;
  end: Date;
  lockIds: string[];
}

/** The error every "someone else has this time" answers with. already-exists, so a client tells it apart by code. */
export function slotTaken(): HttpsError {
  return new HttpsError('already-exists', 'That slot was just taken. Please pick another time.', { reason: 'slot-taken' });
}

/**
 * Reads the specialist, the office and the day's exceptions in the transaction and checks the request is an offered
 * slot: the specialist approved and accepting the office's modality, a price for the site, a start in the future on
 * the office's grid inside its hours, outside its breaks, and not removed by an exception, all in the office's zone.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param req - specialist, office, site, start and optional duration
 * @param now - the transaction's clock
 * @param preRead - the specialist, when the caller read it first in this transaction
 * @throws HttpsError not-found (specialist, office), failed-precondition (not accepting, in the past, outside hours),
 *   invalid-argument (no price for the site)
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
  if (req.start.getTime() <= now.getTime()) {
    throw new HttpsError('failed-precondition', 'That time has already passed.', { reason: 'slot-in-past' });
  }
  const exceptions: ScheduleException[] = await exceptionsIn(tx, db, req.specialistUid, req.officeId, utcToLocal(req.start, office.timeZone).date);
  const duration = req.durationMinutes ?? office.slotMinutes;
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
  return { specialist, office, price, start: req.start, end, lockIds };
}

/**
 * Reads the lock documents in the transaction; any lock held by another appointment means the slot is taken.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param specialistUid - whose locks
 * @param lockIds - the ids the new time needs
 * @param ownAppointmentId - when rescheduling: locks of the appointment being moved are not conflicts
 * @returns the ids that already belong to `ownAppointmentId`
 * @throws HttpsError already-exists ("slot just taken")
 */
export async function assertLocksFreeIn(tx: Transaction, db: Firestore, specialistUid: string, lockIds: readonly string[], ownAppointmentId?: string): Promise<Set<string>> {
  const snaps = await tx.getAll(...lockIds.map((l) => db.doc(paths.slotLock(specialistUid, l))));
  const own = new Set<string>();
  for (const snap of snaps) {
    if (!snap.exists) continue;
    if (ownAppointmentId !== undefined && snap.get('appointmentId') === ownAppointmentId) own.add(snap.id);
    else throw slotTaken();
  }
  return own;
}

/**
 * A video channel id: 128 random bits in hex, so it is unguessable and never shaped like a reserved `__x__` id.
 */
export function newVideoChannel(): string {
  return randomBytes(16).toString('hex');
}
