import { describe, expect, it } from 'vitest';
import { dayRange, isCalendarDate, officeZones, offsetForWall, todayIn, wallArrayAt } from './calendar-zone';

/** [y, m0, d, h, min, s, ms] from 'YYYY-MM-DDTHH:MM'. */
function wall(s: string): number[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(s);
  if (!m) throw new Error(s);
  return [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), 0, 0];
}

/** A wall reading as if it were UTC, in epoch ms. */
function asUtc(a: number[]): number {
  const [y = 0, mo = 0, d = 1, h = 0, mi = 0, sec = 0, ms = 0] = a;
  return Date.UTC(y, mo, d, h, mi, sec, ms);
}

describe('wall clock of a zone', () => {
  it('reads an instant in the zone, to the millisecond', () => {
    expect(wallArrayAt(Date.parse('2027-01-12T14:30:15.250Z'), 'America/Bogota')).toEqual([2027, 0, 12, 9, 30, 15, 250]);
    expect(wallArrayAt(Date.parse('2027-07-01T22:30:00Z'), 'Europe/Madrid')).toEqual([2027, 6, 2, 0, 30, 0, 0]);
  });

  it('gives the offset of a wall time, in and out of summer time', () => {
    expect(offsetForWall(wall('2027-01-12T09:30'), 'America/Bogota')).toBe(-300);
    expect(offsetForWall(wall('2027-01-12T09:30'), 'Europe/Madrid')).toBe(60);
    expect(offsetForWall(wall('2027-07-12T09:30'), 'Europe/Madrid')).toBe(120);
    // Santiago is on summer time in January.
    expect(offsetForWall(wall('2027-01-12T09:30'), 'America/Santiago')).toBe(-180);
  });

  it('round-trips every half hour across both Madrid switches', () => {
    for (const day of ['2027-03-28', '2027-10-31']) {
      const from = Date.parse(`${day}T00:00:00Z`) - 6 * 3_600_000;
      for (let ms = from; ms < from + 36 * 3_600_000; ms += 30 * 60_000) {
        const a = wallArrayAt(ms, 'Europe/Madrid');
        const back = asUtc(a) - offsetForWall(a, 'Europe/Madrid') * 60_000;
        // A wall time that occurs twice maps to its first instant; every other one to itself.
        const repeated = ms >= Date.parse('2027-10-31T01:00:00Z') && ms < Date.parse('2027-10-31T02:00:00Z');
        expect(back, new Date(ms).toISOString()).toBe(repeated ? ms - 3_600_000 : ms);
      }
    }
  });

  it('puts a wall time inside the spring-forward gap just past the jump', () => {
    // 02:30 does not exist in Madrid on 2027-03-28 (02:00 → 03:00): it lands at 03:30 CEST = 01:30Z.
    const off = offsetForWall(wall('2027-03-28T02:30'), 'Europe/Madrid');
    expect(asUtc(wall('2027-03-28T02:30')) - off * 60_000).toBe(Date.parse('2027-03-28T01:30:00Z'));
  });
});

describe('days and zones', () => {
  it("a day is the zone's midnight to midnight, 23 h on the spring switch", () => {
    expect(dayRange('2027-01-12', 'America/Bogota')).toEqual({ from: new Date('2027-01-12T05:00:00Z'), to: new Date('2027-01-13T05:00:00Z') });
    const spring = dayRange('2027-03-28', 'Europe/Madrid');
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * 3_600_000);
  });

  it("today is read in the zone, not the machine's", () => {
    const now = new Date('2027-01-13T03:00:00Z');
    expect(todayIn(now, 'America/Bogota')).toBe('2027-01-12');
    expect(todayIn(now, 'Europe/Madrid')).toBe('2027-01-13');
  });

  it("the offices' zones come most used first, ties in office order, each once", () => {
    expect(officeZones(['America/Bogota', 'America/Bogota'])).toEqual(['America/Bogota']);
    expect(officeZones(['Europe/Madrid', 'America/Bogota', 'America/Bogota'])).toEqual(['America/Bogota', 'Europe/Madrid']);
    expect(officeZones(['Europe/Madrid', 'America/Bogota'])).toEqual(['Europe/Madrid', 'America/Bogota']);
    expect(officeZones([])).toEqual([]);
  });

  it('only real dates open the calendar on a date', () => {
    expect(isCalendarDate('2027-01-12')).toBe(true);
    expect(isCalendarDate('2027-02-30')).toBe(false);
    expect(isCalendarDate('2027-1-12')).toBe(false);
    expect(isCalendarDate(['2027-01-12'])).toBe(false);
    expect(isCalendarDate(undefined)).toBe(false);
  });
});
