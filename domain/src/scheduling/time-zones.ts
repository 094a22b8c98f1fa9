/**
 * Wall-clock ↔ instant conversions for IANA zones, using only the runtime's Intl data.
 *
 * Nothing here reads the machine's zone: instants are handled in UTC milliseconds and every local reading goes through
 * an `Intl.DateTimeFormat` with an explicit `timeZone`. Local dates are ISO strings 'YYYY-MM-DD', local times 'HH:MM'.
 *
 * DST policy (used by slot generation and documented once here):
 * - a wall time that does not exist (spring-forward gap) has no instant: `localToUtc` returns null;
 * - a wall time that occurs twice (fall-back overlap) resolves to the earlier instant (the first time the clock shows it);
 * - an interval *bound* in a gap resolves to the moment the clock jumps (`localToUtcOnOrAfter`), i.e. the first instant
 *   at which the clock reads that time or later.
 */
import { WEEKDAYS } from '../model/specialist';

export type Weekday = (typeof WEEKDAYS)[number];

/** A local wall-clock reading in some zone. */
export interface LocalDateTime {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM' (seconds are truncated) */
  time: string;
  weekday: Weekday;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Real offsets lie within about ±14 h, so the instant for a wall time is within this distance of "wall time as UTC". */
const OFFSET_REACH_MS = 15 * 3_600_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

// One formatter per zone: creating them is the expensive part of Intl, and they are immutable, so caching keeps the
// functions observably pure.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Date.UTC without its 0..99 → 1900..1999 year mapping. */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function assertInstant(instant: Date, what = 'instant'): number {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid ${what}: not a valid Date`);
  return ms;
}

/** The local wall clock at `ms`, as milliseconds of "wall time read as UTC" (seconds kept, milliseconds dropped). */
function wallMs(ms: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') fields[p.type] = Number(p.value);
  }
  const { year, month, day, hour, minute, second } = fields;
  if (year === undefined || month === undefined || day === undefined || minute === undefined || second === undefined) {
    throw new RangeError(`Cannot read the wall clock of ${timeZone}`);
  }
  // Some ICU versions print midnight as 24 even with h23.
  return utcMs(year, month, day, hour === 24 ? 0 : (hour ?? 0), minute, second);
}

function offsetMs(ms: number, timeZone: string): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return wallMs(wholeSecond, timeZone) - wholeSecond;
}

/**
 * Parses an ISO local date.
 * @param date - 'YYYY-MM-DD', a real calendar day
 * @returns milliseconds of that day's midnight read as UTC
 * @throws RangeError when malformed or not a calendar day (e.g. '2024-02-30')
 */
function parseDate(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Expected a date 'YYYY-MM-DD', got '${date}'`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = utcMs(y, mo, d);
  if (formatDateMs(ms) !== date) throw new RangeError(`Not a calendar date: '${date}'`);
  return ms;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatDateMs(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * Minutes since midnight of a wall time.
 * @param time - 'HH:MM', 00:00..23:59
 * @throws RangeError when malformed
 */
export function hhmmToMinutes(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw new RangeError(`Expected a time 'HH:MM', got '${time}'`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Formats minutes since midnight as 'HH:MM'.
 * @param minutes - 0..1439 (callers roll larger values into the next day themselves)
 * @throws RangeError outside 0..1439 or when not an integer
 */
export function minutesToHhmm(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes >= 1440)
    throw new RangeError(`Not a minute of the day: ${minutes}`);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * Adds calendar days to a local date (no zone involved: a local date has no DST).
 * @param date - 'YYYY-MM-DD'
 * @param days - integer, may be negative
 */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be an integer, got ${days}`);
  return formatDateMs(parseDate(date) + days * DAY_MS);
}

/**
 * The weekday of a local date.
 * @param date - 'YYYY-MM-DD'
 */
export function weekdayOf(date: string): Weekday {
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  const w = WEEKDAYS[(new Date(parseDate(date)).getUTCDay() + 6) % 7];
  if (w === undefined) throw new RangeError(`No weekday for '${date}'`);
  return w;
}

/**
 * The zone's offset from UTC at an instant, in minutes (local = UTC + offset): +120 for Madrid in summer,
 * -240 for Santiago in winter. Historic local-mean-time offsets can be fractional.
 * @param instant - any valid Date
 * @param timeZone - IANA zone name; an unknown zone throws RangeError (from Intl)
 */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return offsetMs(assertInstant(instant), timeZone) / MINUTE_MS;
}

/**
 * Reads the wall clock of a zone at an instant.
 * @param instant - any valid Date
 * @param timeZone - IANA zone name
 * @returns local date, time (minutes precision, seconds truncated) and weekday
 */
export function utcToLocal(instant: Date, timeZone: string): LocalDateTime {
  const wall = wallMs(assertInstant(instant), timeZone);
  const d = new Date(wall);
  const date = formatDateMs(wall);
  return { date, time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`, weekday: weekdayOf(date) };
}

/** Every instant whose wall reading in `timeZone` is exactly `wall`, earliest first (0, 1 or 2 of them). */
function instantsForWall(wall: number, timeZone: string): number[] {
  // The offsets that can apply are those in force within ±15 h of the wall time read as UTC; zones change offset at
  // most once in such a window, so sampling both ends and the middle finds every candidate.
  const offsets = new Set([wall - OFFSET_REACH_MS, wall, wall + OFFSET_REACH_MS].map((ms) => offsetMs(ms, timeZone)));
  const found = new Set<number>();
  for (const off of offsets) {
    const candidate = wall - off;
    if (wallMs(candidate, timeZone) === wall) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b);
}

function wallOf(date: string, time: string): number {
  return parseDate(date) + hhmmToMinutes(time) * MINUTE_MS;
}

/**
 * Converts a local wall time to the instant it denotes.
 * @param date - local date 'YYYY-MM-DD'
 * @param time - local time 'HH:MM'
 * @param timeZone - IANA zone name
 * @returns the instant; null when the wall time does not exist (spring-forward gap); for a wall time that occurs twice
 *   (fall-back overlap) the earlier instant
 */
export function localToUtc(date: string, time: string, timeZone: string): Date | null {
  const [first] = instantsForWall(wallOf(date, time), timeZone);
  return first === undefined ? null : new Date(first);
}

/**
 * The first instant at which the local clock reads `date time` or later. Same as `localToUtc` for wall times that
 * exist; for one inside a spring-forward gap it is the moment of the jump. Used for interval bounds (opening hours,
 * breaks), where "open until 00:30" on a night the clock jumps from 00:00 to 01:00 means "until the jump".
 * @param date - local date 'YYYY-MM-DD'
 * @param time - local time 'HH:MM'
 * @param timeZone - IANA zone name
 */
export function localToUtcOnOrAfter(date: string, time: string, timeZone: string): Date {
  const wall = wallOf(date, time);
  const [first] = instantsForWall(wall, timeZone);
  if (first !== undefined) return new Date(first);
  // In a gap the offset grows across the jump: read with the later offset the instant is before the jump, read with
  // the earlier one it is after. Bisect between them to the minute (transitions fall on whole minutes).
  const before = offsetMs(wall - OFFSET_REACH_MS, timeZone);
  const after = offsetMs(wall + OFFSET_REACH_MS, timeZone);
  let lo = wall - after;
  let hi = wall - before;
  if (!(lo < hi)) throw new RangeError(`Cannot resolve ${date} ${time} in ${timeZone}`);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallMs(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/**
 * Formats an offset in minutes as '+HH:MM' / '-HH:MM' (fractional historic offsets are rounded to the minute).
 * @param minutes - offset, local = UTC + minutes
 */
export function formatOffset(minutes: number): string {
  const rounded = Math.round(minutes);
  const sign = rounded < 0 ? '-' : '+';
  const abs = Math.abs(rounded);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * An instant as local ISO 8601 with its offset, e.g. '2024-10-27T02:30+02:00'. Handy for logs, e-mails and tests.
 * @param instant - any valid Date
 * @param timeZone - IANA zone name
 */
export function toZonedIso(instant: Date, timeZone: string): string {
  const { date, time } = utcToLocal(instant, timeZone);
  return `${date}T${time}${formatOffset(offsetMinutes(instant, timeZone))}`;
}
