/**
 * Appointment conflicts for one specialist, whatever the office: a specialist is in one place at a time, so an
 * appointment in office A blocks the same time in office B.
 *
 * Intervals are half-open, [start, end): an appointment ending at 10:00 and one starting at 10:00 do not conflict.
 * Instants are compared as epoch milliseconds, so the zone or offset a Date was written in never matters.
 */
import { id } from '../model/common';

/** A span of time, [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;

/**
 * Checks that an interval is made of valid Dates and does not end before it starts. Without this an invalid Date
 * (NaN) would compare false with everything and silently "not conflict", which is how double bookings happen.
 * @param interval - the interval to check
 * @param what - name used in the error message
 * @throws RangeError on invalid Dates or end < start
 */
export function assertInterval(interval: Interval, what = 'interval'): void {
  const s = interval.start.getTime();
  const e = interval.end.getTime();
  if (!Number.isFinite(s) || !Number.isFinite(e)) throw new RangeError(`Invalid ${what}: not a valid Date`);
  if (e < s) throw new RangeError(`Invalid ${what}: ends before it starts`);
}

/**
 * Whether two half-open intervals share at least one instant. Touching intervals do not; an empty interval
 * (start = end) overlaps nothing.
 * @param a - first interval
 * @param b - second interval
 * @throws RangeError when either interval is invalid
 */
export function overlaps(a: Interval, b: Interval): boolean {
  assertInterval(a, 'first interval');
  assertInterval(b, 'second interval');
  const [as, ae, bs, be] = [a.start.getTime(), a.end.getTime(), b.start.getTime(), b.end.getTime()];
  if (as === ae || bs === be) return false;
  return as < be && bs < ae;
}

function assertMinutes(minutes: number, what: string): void {
  if (!Number.isInteger(minutes) || minutes < 0)
    throw new RangeError(`${what} must be a non-negative integer, got ${minutes}`);
}

/**
 * Widens an interval by a buffer on both sides.
 * @param interval - the appointment
 * @param minutes - non-negative integer
 * @returns a new interval [start - minutes, end + minutes)
 */
export function withBuffer(interval: Interval, minutes: number): Interval {
  assertInterval(interval);
  assertMinutes(minutes, 'Buffer');
  return {
    start: new Date(interval.start.getTime() - minutes * MINUTE_MS),
    end: new Date(interval.end.getTime() + minutes * MINUTE_MS),
  };
}

/**
 * The existing appointments a candidate conflicts with. Each existing appointment is widened by the buffer on both
 * sides, so the candidate must keep at least `bufferMinutes` free before and after every other appointment
 * (not twice the buffer: only one side of each pair is widened).
 * @param candidate - the appointment being booked
 * @param existing - the specialist's appointments in any office (extra fields such as ids are kept in the result)
 * @param bufferMinutes - minimum gap between two appointments, non-negative integer
 * @returns the conflicting items of `existing`, in their original order
 */
export function findConflicts<T extends Interval>(
  candidate: Interval,
  existing: readonly T[],
  bufferMinutes: number,
): T[] {
  assertInterval(candidate, 'candidate');
  assertMinutes(bufferMinutes, 'Buffer');
  return existing.filter((e) => overlaps(candidate, withBuffer(e, bufferMinutes)));
}

function compactUtc(ms: number): string {
  // 2024-03-10T13:05:00.000Z → 20240310T1305Z: sortable, no characters Firestore ids dislike.
  return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
}

/**
 * Ids of the lock documents an appointment must hold, one per time granule it occupies. Granules are aligned on the
 * Unix epoch (granule k covers [k·g, (k+1)·g) minutes), so they are the same whatever office or zone books them.
 *
 * The booking transaction creates (or checks) every one of these documents: two bookings that conflict always share a
 * granule, so one of the two transactions fails. The locked span is [start, end + bufferMinutes): the buffer is locked
 * on the trailing side only, which makes "lock ids intersect" equal to "gap between the two is under the buffer"
 * (locking it on both sides would forbid gaps under twice the buffer).
 *
 * Exactness: when every start, end and buffer is a multiple of the granularity, sharing a lock id is exactly
 * `findConflicts` with that buffer. Otherwise the check is conservative (touching appointments may share a granule),
 * never permissive. Use one granularity platform-wide (e.g. 5 minutes): ids of different granularities never meet.
 *
 * @param specialistId - document id of the specialist
 * @param start - appointment start
 * @param end - appointment end, after start
 * @param granularityMinutes - positive integer granule size
 * @param bufferMinutes - buffer locked after the appointment, non-negative integer (default 0)
 * @returns ids like `${specialistId}_20240310T1300Z`, in time order, without duplicates
 */
export function slotLockIds(
  specialistId: string,
  start: Date,
  end: Date,
  granularityMinutes: number,
  bufferMinutes = 0,
): string[] {
  if (!id.safeParse(specialistId).success) throw new RangeError(`Invalid specialist id '${specialistId}'`);
  if (!Number.isInteger(granularityMinutes) || granularityMinutes <= 0) {
    throw new RangeError(`Granularity must be a positive integer, got ${granularityMinutes}`);
  }
  assertMinutes(bufferMinutes, 'Buffer');
  assertInterval({ start, end }, 'appointment');
  if (start.getTime() === end.getTime()) throw new RangeError('Invalid appointment: empty interval');
  const g = granularityMinutes * MINUTE_MS;
  const from = Math.floor(start.getTime() / g);
  // Last granule touched by [start, end + buffer): the one containing the final millisecond.
  const to = Math.floor((end.getTime() + bufferMinutes * MINUTE_MS - 1) / g);
  const ids: string[] = [];
  for (let k = from; k <= to; k++) ids.push(`${specialistId}_${compactUtc(k * g)}`);
  return ids;
}
