import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatOffset,
  hhmmToMinutes,
  localToUtc,
  localToUtcOnOrAfter,
  minutesToHhmm,
  offsetMinutes,
  toZonedIso,
  utcToLocal,
  weekdayOf,
} from './time-zones';
import { mulberry32 } from './test-random';

const at = (iso: string) => new Date(iso);

// Transitions used below (tzdata): America/Santiago 2024-04-07T03:00Z clocks go back from 24:00 (-03) to 23:00 (-04)
// on Saturday 6 April; 2024-09-08T04:00Z they jump from 00:00 (-04) to 01:00 (-03) on Sunday 8 September.
// Europe/Madrid 2024-03-31T01:00Z 02:00 → 03:00; 2024-10-27T01:00Z 03:00 → 02:00. America/Mexico_City left DST
// on 2022-10-30 and has stayed at -06 since; America/Bogota has been -05 throughout.

describe('offsetMinutes', () => {
  it.each([
    ['America/Santiago', '2024-04-07T02:59:00Z', -180],
    ['America/Santiago', '2024-04-07T03:00:00Z', -240],
    ['America/Santiago', '2024-09-08T03:59:00Z', -240],
    ['America/Santiago', '2024-09-08T04:00:00Z', -180],
    ['Europe/Madrid', '2024-03-31T00:59:59Z', 60],
    ['Europe/Madrid', '2024-03-31T01:00:00Z', 120],
    ['Europe/Madrid', '2024-10-27T00:59:00Z', 120],
    ['Europe/Madrid', '2024-10-27T01:00:00Z', 60],
    ['America/Mexico_City', '2021-07-01T12:00:00Z', -300],
    ['America/Mexico_City', '2022-10-30T06:59:00Z', -300],
    ['America/Mexico_City', '2022-10-30T07:00:00Z', -360],
    ['America/Mexico_City', '2024-04-07T12:00:00Z', -360],
    ['America/Mexico_City', '2024-07-01T12:00:00Z', -360],
    ['America/Bogota', '2024-01-15T12:00:00Z', -300],
    ['America/Bogota', '2024-07-01T12:00:00Z', -300],
    ['UTC', '2024-07-01T12:00:00Z', 0],
    ['Asia/Kolkata', '2024-07-01T12:00:00Z', 330],
    ['Asia/Kathmandu', '2024-07-01T12:00:00Z', 345],
  ])('%s at %s is %i', (tz, iso, want) => {
    expect(offsetMinutes(at(iso), tz)).toBe(want);
  });

  it('ignores milliseconds and works at the epoch', () => {
    expect(offsetMinutes(at('2024-03-31T00:59:59.999Z'), 'Europe/Madrid')).toBe(60);
    expect(offsetMinutes(new Date(0), 'America/Bogota')).toBe(-300);
  });

  it.each([['Mars/Olympus_Mons'], ['']])('rejects the unknown zone %j', (tz) => {
    expect(() => offsetMinutes(at('2024-01-01T00:00:00Z'), tz)).toThrow(RangeError);
  });

  it('rejects an invalid Date', () => {
    expect(() => offsetMinutes(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('utcToLocal', () => {
  it.each([
    // Second pass through Santiago's repeated hour: same wall time as one hour earlier, different instant.
    ['America/Santiago', '2024-04-07T02:30:00Z', '2024-04-06', '23:30', 'sat'],
    ['America/Santiago', '2024-04-07T03:30:00Z', '2024-04-06', '23:30', 'sat'],
    ['America/Santiago', '2024-04-07T04:00:00Z', '2024-04-07', '00:00', 'sun'],
    ['America/Santiago', '2024-09-08T03:59:00Z', '2024-09-07', '23:59', 'sat'],
    ['America/Santiago', '2024-09-08T04:00:00Z', '2024-09-08', '01:00', 'sun'],
    ['Europe/Madrid', '2024-10-27T00:30:00Z', '2024-10-27', '02:30', 'sun'],
    ['Europe/Madrid', '2024-10-27T01:30:00Z', '2024-10-27', '02:30', 'sun'],
    ['Europe/Madrid', '2024-03-30T23:00:00Z', '2024-03-31', '00:00', 'sun'],
    ['America/Bogota', '2024-03-05T01:00:00Z', '2024-03-04', '20:00', 'mon'],
    ['America/Mexico_City', '2024-01-01T05:59:59Z', '2023-12-31', '23:59', 'sun'],
    ['Asia/Kolkata', '2024-02-29T18:30:00Z', '2024-03-01', '00:00', 'fri'],
  ])('%s at %s reads %s %s (%s)', (tz, iso, date, time, weekday) => {
    expect(utcToLocal(at(iso), tz)).toEqual({ date, time, weekday });
  });
});

describe('localToUtc', () => {
  it.each([
    // Madrid spring forward: 02:00–02:59 does not exist.
    ['Europe/Madrid', '2024-03-31', '01:59', '2024-03-31T00:59:00.000Z'],
    ['Europe/Madrid', '2024-03-31', '02:00', null],
    ['Europe/Madrid', '2024-03-31', '02:30', null],
    ['Europe/Madrid', '2024-03-31', '02:59', null],
    ['Europe/Madrid', '2024-03-31', '03:00', '2024-03-31T01:00:00.000Z'],
    // Madrid fall back: 02:00–02:59 happens twice, the earlier (CEST) instant wins.
    ['Europe/Madrid', '2024-10-27', '01:59', '2024-10-26T23:59:00.000Z'],
    ['Europe/Madrid', '2024-10-27', '02:00', '2024-10-27T00:00:00.000Z'],
    ['Europe/Madrid', '2024-10-27', '02:30', '2024-10-27T00:30:00.000Z'],
    ['Europe/Madrid', '2024-10-27', '03:00', '2024-10-27T02:00:00.000Z'],
    // Santiago spring forward at midnight: 00:00–00:59 on Sunday does not exist.
    ['America/Santiago', '2024-09-07', '23:59', '2024-09-08T03:59:00.000Z'],
    ['America/Santiago', '2024-09-08', '00:00', null],
    ['America/Santiago', '2024-09-08', '00:59', null],
    ['America/Santiago', '2024-09-08', '01:00', '2024-09-08T04:00:00.000Z'],
    // Santiago fall back: Saturday 23:00–23:59 happens twice.
    ['America/Santiago', '2024-04-06', '22:59', '2024-04-07T01:59:00.000Z'],
    ['America/Santiago', '2024-04-06', '23:00', '2024-04-07T02:00:00.000Z'],
    ['America/Santiago', '2024-04-06', '23:30', '2024-04-07T02:30:00.000Z'],
    ['America/Santiago', '2024-04-07', '00:00', '2024-04-07T04:00:00.000Z'],
    ['America/Santiago', '2024-07-15', '09:00', '2024-07-15T13:00:00.000Z'],
    ['America/Santiago', '2024-12-15', '09:00', '2024-12-15T12:00:00.000Z'],
    // Mexico City had a gap on 2022-04-03 and none on the same Sunday since the 2022 reform.
    ['America/Mexico_City', '2022-04-03', '02:30', null],
    ['America/Mexico_City', '2024-04-07', '02:30', '2024-04-07T08:30:00.000Z'],
    ['America/Mexico_City', '2024-10-27', '01:30', '2024-10-27T07:30:00.000Z'],
    ['America/Bogota', '2024-03-10', '02:30', '2024-03-10T07:30:00.000Z'],
    ['America/Bogota', '2024-12-31', '23:59', '2025-01-01T04:59:00.000Z'],
    ['UTC', '2024-02-29', '00:00', '2024-02-29T00:00:00.000Z'],
    ['Asia/Kathmandu', '2024-07-01', '05:45', '2024-07-01T00:00:00.000Z'],
  ])('%s %s %s → %s', (tz, date, time, want) => {
    expect(localToUtc(date, time, tz)?.toISOString() ?? null).toBe(want);
  });

  it.each([
    ['2024-02-30', '10:00'],
    ['2023-02-29', '10:00'],
    ['2024-1-05', '10:00'],
    ['2024-01-05', '24:00'],
    ['2024-01-05', '9:00'],
    ['2024-01-05', '10:60'],
  ])('rejects %s %s', (date, time) => {
    expect(() => localToUtc(date, time, 'UTC')).toThrow(RangeError);
  });

  it('round-trips every instant to itself, or to the earlier one in a fall-back hour (seeded sample)', () => {
    const zones = ['America/Santiago', 'Europe/Madrid', 'America/Mexico_City', 'America/Bogota'];
    const rand = mulberry32(20240908);
    const from = Date.parse('2019-01-01T00:00:00Z');
    const span = Date.parse('2027-01-01T00:00:00Z') - from;
    for (let i = 0; i < 2000; i++) {
      const tz = zones[i % zones.length] ?? 'UTC';
      const instant = new Date(Math.floor((from + rand() * span) / 60_000) * 60_000);
      const local = utcToLocal(instant, tz);
      const back = localToUtc(local.date, local.time, tz);
      expect(back).not.toBeNull();
      const backMs = back?.getTime() ?? Number.NaN;
      expect(backMs).toBeLessThanOrEqual(instant.getTime());
      if (backMs !== instant.getTime()) {
        // Only a fall-back hour can map one wall time to two instants, exactly one offset change apart.
        expect(instant.getTime() - backMs).toBe(3_600_000);
        expect(utcToLocal(new Date(backMs), tz)).toEqual(local);
      }
    }
  });

  it('round-trips every minute around each transition', () => {
    const transitions: [string, string][] = [
      ['America/Santiago', '2024-04-07T03:00:00Z'],
      ['America/Santiago', '2024-09-08T04:00:00Z'],
      ['Europe/Madrid', '2024-03-31T01:00:00Z'],
      ['Europe/Madrid', '2024-10-27T01:00:00Z'],
      ['America/Mexico_City', '2022-10-30T07:00:00Z'],
    ];
    for (const [tz, iso] of transitions) {
      const t = Date.parse(iso);
      for (let ms = t - 3 * 3_600_000; ms <= t + 3 * 3_600_000; ms += 60_000) {
        const local = utcToLocal(new Date(ms), tz);
        const back = localToUtc(local.date, local.time, tz);
        const backMs = back?.getTime() ?? Number.NaN;
        // Either the same instant, or (second pass through a repeated hour) exactly one hour earlier.
        expect([ms, ms - 3_600_000]).toContain(backMs);
      }
    }
  });
});

describe('localToUtcOnOrAfter', () => {
  it.each([
    // Inside a gap: the moment of the jump.
    ['Europe/Madrid', '2024-03-31', '02:00', '2024-03-31T01:00:00.000Z'],
    ['Europe/Madrid', '2024-03-31', '02:30', '2024-03-31T01:00:00.000Z'],
    ['America/Santiago', '2024-09-08', '00:30', '2024-09-08T04:00:00.000Z'],
    ['America/Mexico_City', '2022-04-03', '02:15', '2022-04-03T08:00:00.000Z'],
    // Existing and ambiguous times: same as localToUtc.
    ['Europe/Madrid', '2024-03-31', '03:00', '2024-03-31T01:00:00.000Z'],
    ['Europe/Madrid', '2024-10-27', '02:30', '2024-10-27T00:30:00.000Z'],
    ['America/Santiago', '2024-04-06', '23:30', '2024-04-07T02:30:00.000Z'],
    ['America/Bogota', '2024-03-10', '02:30', '2024-03-10T07:30:00.000Z'],
  ])('%s %s %s → %s', (tz, date, time, want) => {
    expect(localToUtcOnOrAfter(date, time, tz).toISOString()).toBe(want);
  });
});

describe('addDays', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-28', 2, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2024-03-30', 1, '2024-03-31'],
    ['2024-09-07', 1, '2024-09-08'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2024-05-05', 0, '2024-05-05'],
  ])('%s %+i → %s', (date, days, want) => {
    expect(addDays(date, days)).toBe(want);
  });

  it.each([
    ['2024-02-30', 1],
    ['2024-13-01', 1],
    ['20240101', 1],
    ['2024-01-01', 1.5],
  ])('rejects %s %s', (date, days) => {
    expect(() => addDays(date, days)).toThrow(RangeError);
  });
});

describe('weekdayOf', () => {
  it.each([
    ['2024-03-04', 'mon'],
    ['2024-02-29', 'thu'],
    ['2024-04-06', 'sat'],
    ['2024-09-08', 'sun'],
    ['2000-01-01', 'sat'],
    ['1970-01-01', 'thu'],
  ])('%s is %s', (date, want) => {
    expect(weekdayOf(date)).toBe(want);
  });
});

describe('HH:MM helpers', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
  ])('%s is minute %i', (time, minutes) => {
    expect(hhmmToMinutes(time)).toBe(minutes);
    expect(minutesToHhmm(minutes)).toBe(time);
  });

  it.each([['24:00'], ['7:00'], ['07:5'], ['ab:cd'], ['']])('rejects %j', (time) => {
    expect(() => hhmmToMinutes(time)).toThrow(RangeError);
  });

  it.each([[-1], [1440], [12.5]])('rejects minute %d', (minutes) => {
    expect(() => minutesToHhmm(minutes)).toThrow(RangeError);
  });
});

describe('formatOffset and toZonedIso', () => {
  it.each([
    [0, '+00:00'],
    [120, '+02:00'],
    [-180, '-03:00'],
    [330, '+05:30'],
    [-570, '-09:30'],
  ])('offset %i is %s', (minutes, want) => {
    expect(formatOffset(minutes)).toBe(want);
  });

  it.each([
    ['Europe/Madrid', '2024-10-27T00:30:00Z', '2024-10-27T02:30+02:00'],
    ['Europe/Madrid', '2024-10-27T01:30:00Z', '2024-10-27T02:30+01:00'],
    ['America/Santiago', '2024-07-15T13:00:00Z', '2024-07-15T09:00-04:00'],
    ['America/Bogota', '2024-07-15T13:00:00Z', '2024-07-15T08:00-05:00'],
    ['Asia/Kolkata', '2024-07-15T13:00:00Z', '2024-07-15T18:30+05:30'],
  ])('%s at %s is %s', (tz, iso, want) => {
    expect(toZonedIso(at(iso), tz)).toBe(want);
    // The formatted string parses back to the same instant.
    expect(new Date(want).toISOString()).toBe(at(iso).toISOString());
  });
});
