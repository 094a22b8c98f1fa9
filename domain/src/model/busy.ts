/**
 * specialists/{uid}/busy/{day}: the public projection of a specialist's taken time, one document per UTC day, so that
 * an open booking page can listen to a few documents and see a slot disappear the moment someone else books it.
 * It holds instants only: no appointment ids, no patient data, no office (a specialist is busy wherever they are).
 * Written by the booking, cancel and reschedule transactions, in the same commit as the slot locks; never by clients.
 */
import { z } from 'zod';
import { compareTimestamps, timestampSchema } from './common';

/** One taken span, [start, end), without buffers: generateSlots widens busy time by each office's own buffer. */
export const busyIntervalSchema = z
  .strictObject({ start: timestampSchema, end: timestampSchema })
  .refine((i) => compareTimestamps(i.start, i.end) < 0, { message: 'End before start', path: ['end'] });
export type BusyInterval = z.infer<typeof busyIntervalSchema>;

/** The most intervals one day can hold: 288 five-minute visits fill 24 hours, and intervals never overlap. */
export const MAX_BUSY_INTERVALS_PER_DAY = 288;

export const busyDaySchema = z.strictObject({
  intervals: z.array(busyIntervalSchema).max(MAX_BUSY_INTERVALS_PER_DAY),
});
export type BusyDay = z.infer<typeof busyDaySchema>;

const DAY_MS = 86_400_000;

/**
 * The id of the busy document holding an instant: its UTC date. UTC, not the office's zone, because one specialist
 * has offices in several zones and the projection must be one set of documents for all of them.
 * @param instant - any valid Date
 * @returns 'YYYY-MM-DD'
 * @throws RangeError on an invalid Date
 */
export function busyDayId(instant: Date): string {
  if (!Number.isFinite(instant.getTime())) throw new RangeError('Invalid instant: not a valid Date');
  return instant.toISOString().slice(0, 10);
}

/**
 * Every busy document an interval appears in: each UTC day it touches. An appointment crossing UTC midnight is listed
 * whole in both days, so a listener of either day sees it without reading the neighbour.
 * @param start - interval start
 * @param end - interval end, after start
 * @returns day ids in order, without duplicates
 * @throws RangeError on invalid Dates or an empty or reversed interval
 */
export function busyDayIds(start: Date, end: Date): string[] {
  const s = start.getTime();
  const e = end.getTime();
  if (!Number.isFinite(s) || !Number.isFinite(e) || e <= s) throw new RangeError('Invalid busy interval');
  const days: string[] = [];
  // The last instant inside [start, end) is end - 1 ms.
  for (let d = Math.floor(s / DAY_MS); d <= Math.floor((e - 1) / DAY_MS); d++) days.push(busyDayId(new Date(d * DAY_MS)));
  return days;
}

