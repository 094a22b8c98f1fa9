/**
 * The zone the calendar is drawn in and the wall-clock arithmetic FullCalendar needs for it, on top of the domain's
 * Intl-only conversions (no second time-zone library in the bundle). Pure.
 */
import { addDays, localToUtcOnOrAfter, offsetMinutes, utcToLocal } from '@telesalud/domain';

const MINUTE_MS = 60_000;
/** Real offsets lie within about ±14 h: every offset that can apply to a wall time is in force within this reach. */
const OFFSET_REACH_MS = 15 * 3_600_000;

/** A wall-clock reading as FullCalendar passes it around: [year, month 0-11, day, hour, minute, second, ms]. */
export type WallArray = readonly number[];

function wallMs(a: WallArray): number {
  // setUTCFullYear keeps years below 100 as they are (Date.UTC would map them to 19xx).
  const d = new Date(0);
  d.setUTCFullYear(a[0] ?? 1970, a[1] ?? 0, a[2] ?? 1);
  d.setUTCHours(a[3] ?? 0, a[4] ?? 0, a[5] ?? 0, a[6] ?? 0);
  return d.getTime();
}

/**
 * The wall clock of a zone at an instant, to the millisecond.
 * @param ms - epoch milliseconds
 * @param timeZone - IANA zone
 */
export function wallArrayAt(ms: number, timeZone: string): number[] {
  const d = new Date(ms + offsetMinutes(new Date(ms), timeZone) * MINUTE_MS);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
}

/**
 * The zone's offset in minutes (local = UTC + offset) that applies to a wall-clock reading, following the domain's
 * DST policy: a time that occurs twice is the earlier instant; a time inside a spring-forward gap maps past the jump.
 * @param wall - the local reading
 * @param timeZone - IANA zone
 */
export function offsetForWall(wall: WallArray, timeZone: string): number {
  const w = wallMs(wall);
  const offsets = [w - OFFSET_REACH_MS, w, w + OFFSET_REACH_MS].map((ms) => offsetMinutes(new Date(ms), timeZone));
  const exact = [...new Set(offsets)]
    .map((off) => w - off * MINUTE_MS)
    .filter((instant) => wallMs(wallArrayAt(instant, timeZone)) === w)
    .sort((a, b) => a - b);
  const first = exact[0];
  if (first !== undefined) return (w - first) / MINUTE_MS;
  // In a gap no instant reads this wall time: the offset in force before the jump puts it just after the jump.
  return offsets[0] ?? 0;
}

/**
 * The instants of one local day of a zone, [midnight, next midnight).
 * @param date - 'YYYY-MM-DD' in the zone
 * @param timeZone - IANA zone
 */
export function dayRange(date: string, timeZone: string): { from: Date; to: Date } {
  return { from: localToUtcOnOrAfter(date, '00:00', timeZone), to: localToUtcOnOrAfter(addDays(date, 1), '00:00', timeZone) };
}

/**
 * Today's date in a zone.
 * @param now - the current instant
 * @param timeZone - IANA zone
 */
export function todayIn(now: Date, timeZone: string): string {
  return utcToLocal(now, timeZone).date;
}

/**
 * The zones of the specialist's offices, the most used first (ties in office order), each once.
 * @param officeZones - each office's timeZone, in office order
 */
export function officeZones(officeZones: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const z of officeZones) count.set(z, (count.get(z) ?? 0) + 1);
  // Map keeps first-insertion order and sort is stable, so ties stay in office order.
  return [...count.keys()].sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0));
}

/**
 * Whether a query parameter is a calendar date the calendar can open on ('YYYY-MM-DD', a real day).
 * @param value - the raw parameter
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}
