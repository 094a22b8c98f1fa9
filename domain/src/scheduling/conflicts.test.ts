import { describe, expect, it } from 'vitest';
import { findConflicts, type Interval, overlaps, slotLockIds, withBuffer } from './conflicts';
import { mulberry32, randomInt } from './test-random';

const iv = (start: string, end: string): Interval => ({ start: new Date(start), end: new Date(end) });
const MINUTE = 60_000;

describe('overlaps (half-open intervals)', () => {
  it.each<[string, Interval, Interval, boolean]>([
    ['identical', iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'), iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'), true],
    [
      'touching, a before b',
      iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'),
      iv('2024-03-10T11:00Z', '2024-03-10T12:00Z'),
      false,
    ],
    [
      'touching, b before a',
      iv('2024-03-10T11:00Z', '2024-03-10T12:00Z'),
      iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'),
      false,
    ],
    [
      'one millisecond of overlap',
      iv('2024-03-10T10:00Z', '2024-03-10T11:00:00.001Z'),
      iv('2024-03-10T11:00Z', '2024-03-10T12:00Z'),
      true,
    ],
    [
      '60 min containing 30 min',
      iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'),
      iv('2024-03-10T10:15Z', '2024-03-10T10:45Z'),
      true,
    ],
    [
      '30 min inside 60 min',
      iv('2024-03-10T10:15Z', '2024-03-10T10:45Z'),
      iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'),
      true,
    ],
    [
      'same start, different lengths',
      iv('2024-03-10T10:00Z', '2024-03-10T10:30Z'),
      iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'),
      true,
    ],
    [
      'same end, different lengths',
      iv('2024-03-10T10:30Z', '2024-03-10T11:00Z'),
      iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'),
      true,
    ],
    [
      '60 and 30 partly overlapping',
      iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'),
      iv('2024-03-10T10:45Z', '2024-03-10T11:15Z'),
      true,
    ],
    ['disjoint', iv('2024-03-10T10:00Z', '2024-03-10T10:30Z'), iv('2024-03-10T10:31Z', '2024-03-10T11:00Z'), false],
    [
      'cross-day overlap',
      iv('2024-03-10T23:30Z', '2024-03-11T00:30Z'),
      iv('2024-03-11T00:00Z', '2024-03-11T00:15Z'),
      true,
    ],
    [
      'cross-day, touching at midnight',
      iv('2024-03-10T23:00Z', '2024-03-11T00:00Z'),
      iv('2024-03-11T00:00Z', '2024-03-11T01:00Z'),
      false,
    ],
    [
      'same instants written with different offsets',
      iv('2024-03-10T10:00:00-03:00', '2024-03-10T11:00:00-03:00'),
      iv('2024-03-10T13:30:00Z', '2024-03-10T14:00:00Z'),
      true,
    ],
    [
      'touching across offsets (Santiago -03 vs Madrid +01)',
      iv('2024-03-10T10:00:00-03:00', '2024-03-10T11:00:00-03:00'),
      iv('2024-03-10T15:00:00+01:00', '2024-03-10T16:00:00+01:00'),
      false,
    ],
    [
      'an empty interval inside another overlaps nothing',
      iv('2024-03-10T10:30Z', '2024-03-10T10:30Z'),
      iv('2024-03-10T10:00Z', '2024-03-10T11:00Z'),
      false,
    ],
  ])('%s → %s', (_name, a, b, want) => {
    expect(overlaps(a, b)).toBe(want);
    // Overlap is symmetric.
    expect(overlaps(b, a)).toBe(want);
  });

  it.each<[string, Interval]>([
    ['an invalid start', { start: new Date(Number.NaN), end: new Date('2024-03-10T10:00Z') }],
    ['an invalid end', { start: new Date('2024-03-10T10:00Z'), end: new Date('nope') }],
    ['end before start', iv('2024-03-10T11:00Z', '2024-03-10T10:00Z')],
  ])('throws on %s instead of answering "no conflict"', (_name, bad) => {
    const ok = iv('2024-03-10T10:00Z', '2024-03-10T11:00Z');
    expect(() => overlaps(bad, ok)).toThrow(RangeError);
    expect(() => overlaps(ok, bad)).toThrow(RangeError);
  });
});

describe('withBuffer', () => {
  it.each([
    [0, '2024-03-10T10:00:00.000Z', '2024-03-10T10:30:00.000Z'],
    [10, '2024-03-10T09:50:00.000Z', '2024-03-10T10:40:00.000Z'],
    [45, '2024-03-10T09:15:00.000Z', '2024-03-10T11:15:00.000Z'],
  ])('%i minutes', (minutes, start, end) => {
    const original = iv('2024-03-10T10:00Z', '2024-03-10T10:30Z');
    expect(withBuffer(original, minutes)).toEqual({ start: new Date(start), end: new Date(end) });
    // The input is not modified.
    expect(original.start.toISOString()).toBe('2024-03-10T10:00:00.000Z');
  });

  it.each([[-5], [2.5], [Number.NaN]])('rejects %d minutes', (minutes) => {
    expect(() => withBuffer(iv('2024-03-10T10:00Z', '2024-03-10T10:30Z'), minutes)).toThrow(RangeError);
  });
});

describe('findConflicts', () => {
  interface Booked extends Interval {
    id: string;
    officeId: string;
  }
  const booked = (id: string, officeId: string, start: string, end: string): Booked => ({
    id,
    officeId,
    ...iv(start, end),
  });
  const candidate = iv('2024-03-10T10:00Z', '2024-03-10T10:30Z');

  it.each<[string, Booked[], number, string[]]>([
    ['nothing booked', [], 10, []],
    ['touching after, no buffer', [booked('a', 'o1', '2024-03-10T10:30Z', '2024-03-10T11:00Z')], 0, []],
    ['touching after, with buffer', [booked('a', 'o1', '2024-03-10T10:30Z', '2024-03-10T11:00Z')], 10, ['a']],
    ['gap after of exactly the buffer', [booked('a', 'o1', '2024-03-10T10:40Z', '2024-03-10T11:00Z')], 10, []],
    [
      'gap after one minute short of the buffer',
      [booked('a', 'o1', '2024-03-10T10:39Z', '2024-03-10T11:00Z')],
      10,
      ['a'],
    ],
    ['gap before of exactly the buffer', [booked('a', 'o1', '2024-03-10T09:00Z', '2024-03-10T09:50Z')], 10, []],
    [
      'gap before one minute short of the buffer',
      [booked('a', 'o1', '2024-03-10T09:00Z', '2024-03-10T09:51Z')],
      10,
      ['a'],
    ],
    ['a 60-minute booking partly overlapping', [booked('a', 'o1', '2024-03-10T09:45Z', '2024-03-10T10:45Z')], 0, ['a']],
    ['containment', [booked('a', 'o1', '2024-03-10T09:00Z', '2024-03-10T12:00Z')], 0, ['a']],
    ['identical', [booked('a', 'o1', '2024-03-10T10:00Z', '2024-03-10T10:30Z')], 0, ['a']],
    [
      'other offices count the same, order kept',
      [
        booked('late', 'o2', '2024-03-10T10:20Z', '2024-03-10T11:00Z'),
        booked('free', 'o1', '2024-03-10T12:00Z', '2024-03-10T13:00Z'),
        booked('early', 'o3', '2024-03-10T09:30Z', '2024-03-10T10:05Z'),
      ],
      0,
      ['late', 'early'],
    ],
    [
      'written in another offset, same instant',
      [booked('a', 'o2', '2024-03-10T05:15:00-05:00', '2024-03-10T06:15:00-05:00')],
      0,
      ['a'],
    ],
    [
      'cross-day booking reaching into the candidate',
      [booked('night', 'o1', '2024-03-09T22:00Z', '2024-03-10T10:01Z')],
      0,
      ['night'],
    ],
  ])('%s', (_name, existing, buffer, want) => {
    const found = findConflicts(candidate, existing, buffer);
    expect(found.map((b) => b.id)).toEqual(want);
    // The caller gets its own objects back, with their extra fields.
    for (const f of found) expect(existing).toContain(f);
  });

  it('rejects an invalid candidate or buffer', () => {
    expect(() => findConflicts(iv('2024-03-10T11:00Z', '2024-03-10T10:00Z'), [], 0)).toThrow(RangeError);
    expect(() => findConflicts(candidate, [], -1)).toThrow(RangeError);
  });
});

describe('slotLockIds', () => {
  it.each<[string, string, string, number, number, string[]]>([
    [
      'aligned 30 min on 15 min granules',
      '2024-03-10T10:00Z',
      '2024-03-10T10:30Z',
      15,
      0,
      ['20240310T1000Z', '20240310T1015Z'],
    ],
    [
      'off-grid times take every touched granule',
      '2024-03-10T10:05Z',
      '2024-03-10T10:20Z',
      15,
      0,
      ['20240310T1000Z', '20240310T1015Z'],
    ],
    [
      'buffer locked after the end',
      '2024-03-10T10:00Z',
      '2024-03-10T10:30Z',
      15,
      10,
      ['20240310T1000Z', '20240310T1015Z', '20240310T1030Z'],
    ],
    [
      'buffer of a whole granule',
      '2024-03-10T10:00Z',
      '2024-03-10T10:30Z',
      15,
      15,
      ['20240310T1000Z', '20240310T1015Z', '20240310T1030Z'],
    ],
    ['shorter than a granule', '2024-03-10T10:01Z', '2024-03-10T10:02Z', 15, 0, ['20240310T1000Z']],
    ['cross-midnight', '2024-03-10T23:45Z', '2024-03-11T00:15Z', 15, 0, ['20240310T2345Z', '20240311T0000Z']],
    [
      'offset input gives UTC-based ids',
      '2024-03-10T07:00:00-03:00',
      '2024-03-10T08:00:00-03:00',
      30,
      0,
      ['20240310T1000Z', '20240310T1030Z'],
    ],
    [
      'one granule per minute',
      '2024-03-10T10:00Z',
      '2024-03-10T10:03Z',
      1,
      0,
      ['20240310T1000Z', '20240310T1001Z', '20240310T1002Z'],
    ],
  ])('%s', (_name, start, end, granularity, buffer, want) => {
    expect(slotLockIds('doc_42', new Date(start), new Date(end), granularity, buffer)).toEqual(
      want.map((w) => `doc_42_${w}`),
    );
  });

  it('gives ids that differ per specialist', () => {
    const [a] = slotLockIds('alice', new Date('2024-03-10T10:00Z'), new Date('2024-03-10T10:30Z'), 30);
    const [b] = slotLockIds('bob', new Date('2024-03-10T10:00Z'), new Date('2024-03-10T10:30Z'), 30);
    expect(a).toBe('alice_20240310T1000Z');
    expect(b).toBe('bob_20240310T1000Z');
  });

  it.each<[string, string, string, string, number, number]>([
    ['an empty appointment', 'doc', '2024-03-10T10:00Z', '2024-03-10T10:00Z', 15, 0],
    ['end before start', 'doc', '2024-03-10T11:00Z', '2024-03-10T10:00Z', 15, 0],
    ['an invalid date', 'doc', 'never', '2024-03-10T10:00Z', 15, 0],
    ['granularity 0', 'doc', '2024-03-10T10:00Z', '2024-03-10T10:30Z', 0, 0],
    ['fractional granularity', 'doc', '2024-03-10T10:00Z', '2024-03-10T10:30Z', 7.5, 0],
    ['negative buffer', 'doc', '2024-03-10T10:00Z', '2024-03-10T10:30Z', 15, -5],
    ['a specialist id with a slash', 'a/b', '2024-03-10T10:00Z', '2024-03-10T10:30Z', 15, 0],
    ['an empty specialist id', '', '2024-03-10T10:00Z', '2024-03-10T10:30Z', 15, 0],
  ])('rejects %s', (_name, specialistId, start, end, granularity, buffer) => {
    expect(() => slotLockIds(specialistId, new Date(start), new Date(end), granularity, buffer)).toThrow(RangeError);
  });

  const shareLock = (a: string[], b: string[]) => a.some((x) => b.includes(x));
  const DURATIONS = [15, 20, 30, 45, 60, 90, 120];
  const base = Date.parse('2024-03-10T08:00:00Z');

  it('shares a lock id exactly when findConflicts says so (aligned times, seeded random pairs)', () => {
    const rand = mulberry32(1234);
    let conflicting = 0;
    let free = 0;
    for (let i = 0; i < 5000; i++) {
      const g = [5, 10, 15][randomInt(rand, 0, 2)] ?? 5;
      const buffer = randomInt(rand, 0, 3) * g;
      const make = (): Interval => {
        const start = base + randomInt(rand, 0, 600 / g) * g * MINUTE;
        const minutes = Math.ceil((DURATIONS[randomInt(rand, 0, DURATIONS.length - 1)] ?? 30) / g) * g;
        return { start: new Date(start), end: new Date(start + minutes * MINUTE) };
      };
      const a = make();
      const b = make();
      const conflict = findConflicts(a, [b], buffer).length > 0;
      const shared = shareLock(
        slotLockIds('s1', a.start, a.end, g, buffer),
        slotLockIds('s1', b.start, b.end, g, buffer),
      );
      expect(
        shared,
        `${a.start.toISOString()}+${a.end.toISOString()} vs ${b.start.toISOString()}+${b.end.toISOString()} g=${g} b=${buffer}`,
      ).toBe(conflict);
      if (conflict) conflicting++;
      else free++;
    }
    // The sample exercises both sides of the equivalence, not just one.
    expect(conflicting).toBeGreaterThan(500);
    expect(free).toBeGreaterThan(500);
  });

  it('never misses a conflict, even for times off the granule grid (seeded random pairs)', () => {
    const rand = mulberry32(98765);
    let conflicting = 0;
    for (let i = 0; i < 5000; i++) {
      const g = [5, 15, 30][randomInt(rand, 0, 2)] ?? 15;
      const buffer = randomInt(rand, 0, 20);
      const make = (): Interval => {
        // Second-level precision and arbitrary minutes, so boundaries rarely align with granules.
        const start = base + randomInt(rand, 0, 10 * 3600) * 1000;
        return { start: new Date(start), end: new Date(start + randomInt(rand, 1, 120 * 60) * 1000) };
      };
      const a = make();
      const b = make();
      if (findConflicts(a, [b], buffer).length === 0) continue;
      conflicting++;
      expect(
        shareLock(slotLockIds('s1', a.start, a.end, g, buffer), slotLockIds('s1', b.start, b.end, g, buffer)),
      ).toBe(true);
    }
    expect(conflicting).toBeGreaterThan(500);
  });

  it('two overlapping bookings of different lengths always share a lock (no buffer, every pair in a day)', () => {
    const g = 15;
    const starts = Array.from({ length: 16 }, (_, k) => base + k * 15 * MINUTE);
    let pairs = 0;
    for (const sa of starts) {
      for (const sb of starts) {
        for (const da of [30, 60]) {
          for (const db of [15, 45, 90]) {
            const a = { start: new Date(sa), end: new Date(sa + da * MINUTE) };
            const b = { start: new Date(sb), end: new Date(sb + db * MINUTE) };
            if (!overlaps(a, b)) continue;
            pairs++;
            expect(shareLock(slotLockIds('s1', a.start, a.end, g), slotLockIds('s1', b.start, b.end, g))).toBe(true);
          }
        }
      }
    }
    expect(pairs).toBeGreaterThan(100);
  });
});
