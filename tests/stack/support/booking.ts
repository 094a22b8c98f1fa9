/**
 * Booking on a local stack as the booking suites drive it: a valid bookAppointment request for a slot, the slots an
 * office offers (from the same rule the server applies), weeks that keep tests apart, and reads of what the booking
 * callables wrote (busy projection, "nothing changed" snapshots) through the suite's admin SDK.
 */
import type { Firestore, Timestamp } from 'firebase-admin/firestore';
import { generateSlots, officeSchema, paths, type Office, type Slot } from '../../../domain/src';
import type { StackClient } from './clients';

export const SITE = 'telesalud';
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** What bookAppointment and rescheduleAppointment answer. */
export interface Booked {
  appointmentId: string;
  status: string;
  start: string;
  end: string;
  price: { amount: number; currency: string };
  paymentDueAt?: string;
}

/** Each test books in its own weeks, so no test sees another's appointments. Week 0 starts a week from now. */
export function week(n: number): { from: Date; to: Date } {
  const from = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS + (7 + 7 * n) * DAY_MS);
  return { from, to: new Date(from.getTime() + 7 * DAY_MS) };
}

/**
 * Slots far enough apart (end + buffer before the next start) to be booked independently.
 * @param slots - offered slots, in order
 * @param bufferMinutes - the office's buffer
 * @param n - how many are needed; fewer throws
 */
export function spaced(slots: readonly Slot[], bufferMinutes: number, n: number): Slot[] {
  const out: Slot[] = [];
  for (const s of slots) {
    const last = out.at(-1);
    if (!last || s.start.getTime() >= last.end.getTime() + bufferMinutes * MINUTE_MS) out.push(s);
    if (out.length === n) break;
  }
  if (out.length < n) throw new Error(`only ${out.length} spaced slots, wanted ${n}`);
  return out;
}

/**
 * The i-th slot, which the test needs to exist.
 * @param slots - offered slots
 * @param i - index
 */
export function nth(slots: readonly Slot[], i: number): Slot {
  const s = slots[i];
  if (!s) throw new Error(`no slot ${i}`);
  return s;
}

/**
 * A valid bookAppointment request (the site's first visit for oneself at the office 'principal'), with a new key.
 * @param specialistUid - whom to book
 * @param start - the slot's start
 * @param extra - fields to add or override
 */
export function bookingOf(specialistUid: string, start: Date | string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specialistUid,
    officeId: 'principal',
    siteId: SITE,
    start: typeof start === 'string' ? start : start.toISOString(),
    reason: 'Control anual',
    visitType: 'first',
    forWhom: 'self',
    contactPhone: '+57 300 555 0101',
    idempotencyKey: crypto.randomUUID(),
    ...extra,
  };
}

/**
 * Books through the web SDK, as the app does.
 * @param client - the patient's client
 * @param data - the request
 */
export async function book(client: StackClient, data: Record<string, unknown>): Promise<Booked> {
  return (await client.call('bookAppointment', data)) as Booked;
}

/**
 * Reads of the booking state through an admin Firestore.
 * @param db - the suite's admin Firestore, read when a helper runs (the stack starts after the file is loaded)
 */
export function bookingReads(db: () => Firestore) {
  async function office(uid: string, officeId: string): Promise<Office> {
    return officeSchema.parse((await db().doc(paths.office(uid, officeId)).get()).data());
  }

  return {
    office,
    /** The office's offered slots in a window (no appointments yet), from the same rule the server applies. */
    async slotsOf(uid: string, officeId: string, window: { from: Date; to: Date }): Promise<Slot[]> {
      const o = await office(uid, officeId);
      return generateSlots({ office: o, officeId, ...window, exceptions: [], busy: [], now: new Date() });
    },
    /** `n` offered slots of an office in a window, spaced by the office's buffer to be booked independently. */
    async spacedSlotsOf(uid: string, officeId: string, window: { from: Date; to: Date }, n: number): Promise<Slot[]> {
      const o = await office(uid, officeId);
      return spaced(generateSlots({ office: o, officeId, ...window, exceptions: [], busy: [], now: new Date() }), o.bufferMinutes, n);
    },
    /** A specialist's busy projection as distinct intervals, in order. */
    async busyOf(specialistUid: string): Promise<{ start: number; end: number }[]> {
      const docs = (await db().collection(`specialists/${specialistUid}/busy`).get()).docs;
      const rows = docs.flatMap((d) => (d.get('intervals') as { start: Timestamp; end: Timestamp }[]).map((i) => ({ start: i.start.toMillis(), end: i.end.toMillis() })));
      // An interval crossing UTC midnight is listed in both days.
      return [...new Map(rows.map((r) => [`${r.start}-${r.end}`, r])).values()].sort((a, b) => a.start - b.start);
    },
    /** Everything the booking callables and the expiry job write, by path, for "nothing changed" checks. */
    async bookingState(): Promise<Record<string, unknown>> {
      const out: Record<string, unknown> = {};
      const queries = [
        db().collection('appointments'),
        db().collectionGroup('history'),
        db().collectionGroup('slotLocks'),
        db().collectionGroup('busy'),
        db().collection('idempotency'),
        db().collectionGroup('notifications'),
      ];
      for (const q of queries) for (const d of (await q.get()).docs) out[d.ref.path] = d.data();
      return out;
    },
  };
}
