/**
 * specialists/{uid}/busy/{day}: the public projection of taken time (domain/src/model/busy.ts). Reads go through the
 * transaction, and the writes are computed from what it read, so two bookings on one day never lose each other's
 * interval.
 */
import { Timestamp, type DocumentReference, type Firestore, type Transaction } from 'firebase-admin/firestore';
// Until domain/src/index.ts re-exports model/busy (`export * from './model/busy';`), it is imported by path.
import { busyDayIds, busyDaySchema, paths, type BusyInterval } from '@telesalud/domain';

/** The busy documents of some days, as read in the transaction, ready to be changed and written back. */
export interface BusyDays {
  specialistUid: string;
  days: Map<string, { ref: DocumentReference; intervals: BusyInterval[] }>;
}

/** An interval as plain instants. */
export interface Span {
  start: Date;
  end: Date;
}

/**
 * The UTC days a set of spans touches.
 * @param spans - appointments' intervals
 */
export function daysOf(spans: readonly Span[]): string[] {
  return [...new Set(spans.flatMap((s) => busyDayIds(s.start, s.end)))].sort();
}

/**
 * Reads the busy documents of the days the spans touch.
 * @param tx - the transaction
 * @param db - the admin Firestore
 * @param specialistUid - whose projection
 * @param spans - every interval the transaction will add or remove
 */
export async function readBusyDays(tx: Transaction, db: Firestore, specialistUid: string, spans: readonly Span[]): Promise<BusyDays> {
  const ids = daysOf(spans);
  const refs = ids.map((d) => db.doc(paths.busyDay(specialistUid, d)));
  const snaps = ids.length ? await tx.getAll(...refs) : [];
  const days = new Map<string, { ref: DocumentReference; intervals: BusyInterval[] }>();
  snaps.forEach((snap, i) => {
    const day = ids[i];
    const ref = refs[i];
    if (day === undefined || ref === undefined) return;
    const intervals = snap.exists ? busyDaySchema.parse(snap.data()).intervals : [];
    days.set(day, { ref, intervals });
  });
  return { specialistUid, days };
}

function sameSpan(i: BusyInterval, s: Span): boolean {
  return i.start.toDate().getTime() === s.start.getTime() && i.end.toDate().getTime() === s.end.getTime();
}

/**
 * Removes one span from every day it touches (in memory; `writeBusyDays` stores it).
 * @param busy - the days read
 * @param span - the appointment's interval
 */
export function removeBusy(busy: BusyDays, span: Span): void {
  for (const day of busyDayIds(span.start, span.end)) {
    const d = busy.days.get(day);
    if (!d) throw new Error(`busy day ${day} was not read`);
    const at = d.intervals.findIndex((i) => sameSpan(i, span));
    if (at >= 0) d.intervals.splice(at, 1);
  }
}

/**
 * Adds one span to every day it touches, kept sorted by start (in memory; `writeBusyDays` stores it).
 * @param busy - the days read
 * @param span - the appointment's interval
 */
export function addBusy(busy: BusyDays, span: Span): void {
  for (const day of busyDayIds(span.start, span.end)) {
    const d = busy.days.get(day);
    if (!d) throw new Error(`busy day ${day} was not read`);
    d.intervals.push({ start: Timestamp.fromDate(span.start), end: Timestamp.fromDate(span.end) });
    d.intervals.sort((a, b) => a.start.toDate().getTime() - b.start.toDate().getTime());
  }
}

/**
 * Writes every day back: an empty day is deleted rather than kept as an empty list.
 * @param tx - the transaction that read them
 * @param busy - the days, changed
 */
export function writeBusyDays(tx: Transaction, busy: BusyDays): void {
  for (const { ref, intervals } of busy.days.values()) {
    if (intervals.length === 0) tx.delete(ref);
    else tx.set(ref, busyDaySchema.parse({ intervals }));
  }
}
