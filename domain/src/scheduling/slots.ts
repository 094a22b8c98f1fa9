/**
 * Bookable slots of one office: weekly hours, minus breaks, minus the specialist's appointments in any office (with
 * the office's buffer), minus what is too soon to book, with per-date exceptions.
 *
 * Rules, all in the office's own zone, never the machine's:
 * - Slots start on a wall-clock grid: interval start, + slotMinutes, + 2·slotMinutes… ("09:00, 09:30, …").
 * - A slot lasts durationMinutes (default slotMinutes) of real time and must end by the interval's end.
 * - An interval whose end is not after its start ends the next day (22:00–02:00) and belongs to the date it starts on:
 *   a Saturday night shift comes from Saturday's hours and from Saturday's exception, not Sunday's.
 * - An exception replaces the hours of its local date ('closed' → none). Breaks still apply on exception dates: they
 *   are defined as applying every day.
 * - A slot must not overlap a break (breaks repeat every day and may cross midnight too).
 * - Buffer: a slot conflicts with a busy appointment widened by bufferMinutes on both sides, i.e. the specialist keeps
 *   at least bufferMinutes free between any two appointments, before and after, whichever office they are in. The
 *   office's own buffer is used for every busy appointment.
 * - A slot is returned when its start is in [from, to) and not before now + minNoticeMinutes.
 * - DST: a grid time inside a spring-forward gap does not exist and is skipped; an ambiguous one (fall-back) takes the
 *   earlier instant, so the repeated hour is offered once. Interval and break bounds inside a gap resolve to the jump.
 */
import { assertInterval, type Interval, withBuffer } from './conflicts';
import {
  addDays,
  hhmmToMinutes,
  localToUtc,
  localToUtcOnOrAfter,
  minutesToHhmm,
  utcToLocal,
  type Weekday,
  weekdayOf,
} from './time-zones';

/** Local wall-clock interval 'HH:MM'–'HH:MM'; end ≤ start means it ends the next day. */
export interface LocalInterval {
  start: string;
  end: string;
}

/** The fields of an Office that scheduling needs (an Office is assignable to it). */
export interface OfficeSchedule {
  weeklyHours: Partial<Record<Weekday, readonly LocalInterval[]>>;
  breaks: readonly LocalInterval[];
  slotMinutes: number;
  bufferMinutes: number;
  timeZone: string;
}

/** A change to one local date's hours. */
export type ScheduleException =
  { date: string; kind: 'closed' } | { date: string; kind: 'hours'; intervals: readonly LocalInterval[] };

export interface GenerateSlotsInput {
  office: OfficeSchedule;
  officeId: string;
  /** Slots starting at or after this instant… */
  from: Date;
  /** …and before this one. */
  to: Date;
  exceptions: readonly ScheduleException[];
  /** The specialist's appointments in every office, without buffers. */
  busy: readonly Interval[];
  now: Date;
  /** Earliest bookable start is now + this; default 0. */
  minNoticeMinutes?: number;
  /** Length of the visit; default office.slotMinutes. */
  durationMinutes?: number;
}

export interface Slot {
  officeId: string;
  start: Date;
  end: Date;
  /** Start in the office's zone, 'YYYY-MM-DD'. */
  localDate: string;
  /** Start in the office's zone, 'HH:MM'. */
  localTime: string;
}

const MINUTE_MS = 60_000;

function positiveInteger(n: number, what: string): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}

function nonNegativeInteger(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  return n;
}

/** Interval as minutes from the start of its own date: end > start, end may exceed 1440. Null for an empty one. */
function spanMinutes(interval: LocalInterval): { start: number; end: number } | null {
  const start = hhmmToMinutes(interval.start);
  const end = hhmmToMinutes(interval.end);
  // The office schema rejects start = end; here it is read as empty rather than 24 h, the safer reading.
  if (start === end) return null;
  return { start, end: end > start ? end : end + 1440 };
}

/** Wall time at `minutes` past the midnight that starts `date` (rolls into the following days). */
function wallAt(date: string, minutes: number): { date: string; time: string } {
  return { date: addDays(date, Math.floor(minutes / 1440)), time: minutesToHhmm(minutes % 1440) };
}

function exceptionsByDate(exceptions: readonly ScheduleException[]): Map<string, ScheduleException> {
  const byDate = new Map<string, ScheduleException>();
  for (const e of exceptions) {
    addDays(e.date, 0); // validates the date
    // Two exceptions for one date are contradictory data; guessing which wins would hide the error.
    if (byDate.has(e.date)) throw new RangeError(`Two exceptions for ${e.date}`);
    byDate.set(e.date, e);
  }
  return byDate;
}

function intervalsOn(
  date: string,
  office: OfficeSchedule,
  exceptions: Map<string, ScheduleException>,
): readonly LocalInterval[] {
  const e = exceptions.get(date);
  if (!e) return office.weeklyHours[weekdayOf(date)] ?? [];
  switch (e.kind) {
    case 'closed':
      return [];
    case 'hours':
      return e.intervals;
  }
}

/** Real instants of the daily breaks for every local date in [first, last]. */
function breakInstants(breaks: readonly LocalInterval[], first: string, last: string, timeZone: string): Interval[] {
  const out: Interval[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    for (const b of breaks) {
      const span = spanMinutes(b);
      if (!span) continue;
      const s = wallAt(date, span.start);
      const e = wallAt(date, span.end);
      out.push({
        start: localToUtcOnOrAfter(s.date, s.time, timeZone),
        end: localToUtcOnOrAfter(e.date, e.time, timeZone),
      });
    }
  }
  return out;
}

/**
 * Generates the bookable slots of an office between two instants (see the module comment for every rule).
 * Pure and deterministic: the same input always gives the same slots, whatever the machine's zone.
 * @param input - office hours, range, exceptions, the specialist's busy times, current time and options
 * @returns slots sorted by start, without duplicate starts
 * @throws RangeError on invalid dates, times, durations or two exceptions for the same date
 */
export function generateSlots(input: GenerateSlotsInput): Slot[] {
  const { office, officeId, from, to, now } = input;
  const tz = office.timeZone;
  const step = positiveInteger(office.slotMinutes, 'slotMinutes');
  const buffer = nonNegativeInteger(office.bufferMinutes, 'bufferMinutes');
  const duration = positiveInteger(input.durationMinutes ?? office.slotMinutes, 'durationMinutes');
  const notice = nonNegativeInteger(input.minNoticeMinutes ?? 0, 'minNoticeMinutes');
  assertInterval({ start: from, end: to }, 'range');
  assertInterval({ start: now, end: now }, 'now');
  for (const b of input.busy) assertInterval(b, 'busy interval');
  const exceptions = exceptionsByDate(input.exceptions);

  const toMs = to.getTime();
  const earliestMs = Math.max(from.getTime(), now.getTime() + notice * MINUTE_MS);
  if (earliestMs >= toMs) return [];

  // An interval starting the day before `from` may run past midnight into the range.
  const firstDate = addDays(utcToLocal(from, tz).date, -1);
  const lastDate = utcToLocal(to, tz).date;
  // Breaks one day wider on each side: a slot may start late on lastDate and cross midnight, or meet a break that
  // started the day before.
  const breaks = breakInstants(office.breaks, addDays(firstDate, -1), addDays(lastDate, 1), tz);

  // Busy time widened by the buffer, and breaks, as plain millisecond pairs: the per-slot check below is the hot loop.
  const blocked = [...input.busy.map((b) => withBuffer(b, buffer)), ...breaks]
    .filter((b) => b.start.getTime() < b.end.getTime())
    .map((b) => [b.start.getTime(), b.end.getTime()] as const)
    .sort((a, b) => a[0] - b[0]);
  // Half-open overlap, as in conflicts.overlaps; sorted by start, so the scan stops at the first one starting after.
  const isBlocked = (startMs: number, endMs: number): boolean => {
    for (const [s, e] of blocked) {
      if (s >= endMs) return false;
      if (startMs < e) return true;
    }
    return false;
  };

  const byStart = new Map<number, Slot>();
  for (let date = firstDate; date <= lastDate; date = addDays(date, 1)) {
    for (const interval of intervalsOn(date, office, exceptions)) {
      const span = spanMinutes(interval);
      if (!span) continue;
      const endWall = wallAt(date, span.end);
      const intervalEndMs = localToUtcOnOrAfter(endWall.date, endWall.time, tz).getTime();
      for (let m = span.start; m < span.end; m += step) {
        const wall = wallAt(date, m);
        const start = localToUtc(wall.date, wall.time, tz);
        if (!start) continue; // spring-forward gap: this grid time never shows on the clock
        const startMs = start.getTime();
        const endMs = startMs + duration * MINUTE_MS;
        if (startMs < earliestMs || startMs >= toMs || endMs > intervalEndMs || byStart.has(startMs)) continue;
        if (isBlocked(startMs, endMs)) continue;
        byStart.set(startMs, { officeId, start, end: new Date(endMs), localDate: wall.date, localTime: wall.time });
      }
    }
  }
  return [...byStart.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}
