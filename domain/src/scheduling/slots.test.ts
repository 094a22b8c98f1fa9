import { describe, expect, it } from 'vitest';
import { type Office, officeSchema } from '../model/specialist';
import { findConflicts, type Interval } from './conflicts';
import { generateSlots, type GenerateSlotsInput, type ScheduleException, type Slot } from './slots';
import { mulberry32, randomInt } from './test-random';
import { localToUtc } from './time-zones';

/** A full, schema-valid Office, so the tests also prove an Office can be passed as is. */
function office(overrides: Partial<Office>): Office {
  return officeSchema.parse({
    name: 'Consulta Centro',
    address: 'Calle 1 # 2-3',
    city: 'Bogotá',
    country: 'CO',
    location: { lat: 4.6, lng: -74.08 },
    geohash: 'd2g6',
    timeZone: 'America/Bogota',
    modality: 'in_person',
    weeklyHours: {},
    breaks: [],
    slotMinutes: 30,
    bufferMinutes: 0,
    prices: [{ siteId: 'portal', price: { amount: 8_000_000, currency: 'COP' } }],
    ...overrides,
  });
}

/** Wall time in `tz` → instant, for writing expectations in local time. */
function local(date: string, time: string, tz: string): Date {
  const d = localToUtc(date, time, tz);
  if (!d) throw new Error(`${date} ${time} does not exist in ${tz}`);
  return d;
}

const labels = (slots: Slot[]) => slots.map((s) => `${s.localDate} ${s.localTime}`);
const utc = (slots: Slot[]) => slots.map((s) => s.start.toISOString());

const BOG = 'America/Bogota';
const MON = '2024-03-04';
const mondayMorning = office({ weeklyHours: { mon: [{ start: '09:00', end: '12:00' }] } });

/** Monday 4 March 2024, whole local day in Bogotá, booked long in advance. */
function monday(overrides: Partial<GenerateSlotsInput>): GenerateSlotsInput {
  return {
    office: mondayMorning,
    officeId: 'office-a',
    from: local(MON, '00:00', BOG),
    to: local('2024-03-05', '00:00', BOG),
    exceptions: [],
    busy: [],
    now: new Date('2024-01-01T00:00:00Z'),
    ...overrides,
  };
}

const busyAt = (date: string, start: string, end: string, tz = BOG): Interval => ({
  start: local(date, start, tz),
  end: local(date, end, tz),
});

describe('generateSlots: grid, fit, breaks, buffers, notice, range', () => {
  it.each<[string, Partial<GenerateSlotsInput>, string[]]>([
    ['steps by slotMinutes from the interval start', {}, ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']],
    [
      'drops a slot that would run past the interval end',
      { office: office({ weeklyHours: { mon: [{ start: '09:00', end: '10:45' }] } }) },
      ['09:00', '09:30', '10:00'],
    ],
    [
      'grid starts at an odd interval start',
      { office: office({ weeklyHours: { mon: [{ start: '09:10', end: '10:30' }] } }) },
      ['09:10', '09:40'],
    ],
    ['a 60-minute visit on a 30-minute grid', { durationMinutes: 60 }, ['09:00', '09:30', '10:00', '10:30', '11:00']],
    [
      'a break removes the slots it overlaps, touching is fine',
      { office: office({ weeklyHours: mondayMorning.weeklyHours, breaks: [{ start: '10:00', end: '10:30' }] }) },
      ['09:00', '09:30', '10:30', '11:00', '11:30'],
    ],
    [
      'a break removes every longer visit that straddles it',
      {
        office: office({ weeklyHours: mondayMorning.weeklyHours, breaks: [{ start: '10:00', end: '10:30' }] }),
        durationMinutes: 60,
      },
      ['09:00', '10:30', '11:00'],
    ],
    [
      'a busy appointment without buffer: neighbours touching it stay',
      { busy: [busyAt(MON, '10:00', '10:30')] },
      ['09:00', '09:30', '10:30', '11:00', '11:30'],
    ],
    [
      'the buffer applies before and after a busy appointment',
      {
        office: office({ weeklyHours: mondayMorning.weeklyHours, bufferMinutes: 10 }),
        busy: [busyAt(MON, '10:00', '10:30')],
      },
      ['09:00', '11:00', '11:30'],
    ],
    [
      'a gap of exactly the buffer is allowed',
      {
        office: office({ weeklyHours: mondayMorning.weeklyHours, bufferMinutes: 30 }),
        busy: [busyAt(MON, '10:00', '10:30')],
      },
      ['09:00', '11:00', '11:30'],
    ],
    [
      'a 60-minute appointment off the grid blocks every 30-minute slot it partly overlaps',
      { busy: [busyAt(MON, '09:15', '10:15')] },
      ['10:30', '11:00', '11:30'],
    ],
    [
      // Same specialist, other office in Mexico City (-06): 09:00–10:00 there is 10:00–11:00 in Bogotá (-05).
      'an appointment in another office, in another zone, blocks the same real time',
      { busy: [busyAt(MON, '09:00', '10:00', 'America/Mexico_City')] },
      ['09:00', '09:30', '11:00', '11:30'],
    ],
    [
      'minimum notice counts from now',
      { now: local(MON, '09:10', BOG), minNoticeMinutes: 60 },
      ['10:30', '11:00', '11:30'],
    ],
    [
      'a slot starting exactly at now + notice is bookable',
      { now: local(MON, '09:00', BOG), minNoticeMinutes: 60 },
      ['10:00', '10:30', '11:00', '11:30'],
    ],
    ['a slot that already started is not offered', { now: local(MON, '10:01', BOG) }, ['10:30', '11:00', '11:30']],
    [
      'range is on slot starts, [from, to)',
      { from: local(MON, '10:00', BOG), to: local(MON, '11:00', BOG) },
      ['10:00', '10:30'],
    ],
    [
      'a slot starting before `to` is kept even if it ends after it',
      { from: local(MON, '10:00', BOG), to: local(MON, '10:01', BOG) },
      ['10:00'],
    ],
    [
      'overlapping intervals of one day give each start once',
      {
        office: office({
          weeklyHours: {
            mon: [
              { start: '09:00', end: '10:00' },
              { start: '09:30', end: '10:30' },
            ],
          },
        }),
      },
      ['09:00', '09:30', '10:00'],
    ],
    [
      'a weekday without hours gives nothing',
      { office: office({ weeklyHours: { tue: [{ start: '09:00', end: '12:00' }] } }) },
      [],
    ],
  ])('%s', (_name, overrides, want) => {
    const slots = generateSlots(monday(overrides));
    expect(slots.map((s) => s.localTime)).toEqual(want);
    for (const s of slots) expect(s.localDate).toBe(MON);
  });

  it('returns complete slots with instants, office id and local fields', () => {
    const [first] = generateSlots(monday({ durationMinutes: 45 }));
    expect(first).toEqual({
      officeId: 'office-a',
      start: new Date('2024-03-04T14:00:00.000Z'),
      end: new Date('2024-03-04T14:45:00.000Z'),
      localDate: MON,
      localTime: '09:00',
    });
  });

  it('is empty when now + notice is past the range', () => {
    expect(generateSlots(monday({ now: local(MON, '11:00', BOG), minNoticeMinutes: 24 * 60 }))).toEqual([]);
    expect(generateSlots(monday({ to: local(MON, '00:00', BOG) }))).toEqual([]);
  });
});

describe('generateSlots: exceptions', () => {
  it.each<[string, ScheduleException[], string[]]>([
    ['closed', [{ date: MON, kind: 'closed' }], []],
    [
      'replacement hours',
      [{ date: MON, kind: 'hours', intervals: [{ start: '14:00', end: '15:00' }] }],
      [`${MON} 14:00`, `${MON} 14:30`],
    ],
    ['replacement with no intervals is a closed day', [{ date: MON, kind: 'hours', intervals: [] }], []],
    [
      'an exception for another date changes nothing',
      [{ date: '2024-03-05', kind: 'closed' }],
      ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((t) => `${MON} ${t}`),
    ],
  ])('%s', (_name, exceptions, want) => {
    expect(labels(generateSlots(monday({ exceptions })))).toEqual(want);
  });

  it('opens a weekday that has no weekly hours', () => {
    const sunday = '2024-03-10';
    const slots = generateSlots(
      monday({
        from: local(sunday, '00:00', BOG),
        to: local('2024-03-11', '00:00', BOG),
        exceptions: [{ date: sunday, kind: 'hours', intervals: [{ start: '10:00', end: '11:00' }] }],
      }),
    );
    expect(labels(slots)).toEqual(['2024-03-10 10:00', '2024-03-10 10:30']);
  });

  it('keeps applying the daily breaks on exception dates', () => {
    const slots = generateSlots(
      monday({
        office: office({ weeklyHours: mondayMorning.weeklyHours, breaks: [{ start: '13:00', end: '14:00' }] }),
        exceptions: [{ date: MON, kind: 'hours', intervals: [{ start: '12:00', end: '15:00' }] }],
        durationMinutes: 60,
        busy: [],
      }),
    );
    expect(slots.map((s) => s.localTime)).toEqual(['12:00', '14:00']);
  });

  it.each<[string, ScheduleException[]]>([
    [
      'two exceptions for one date',
      [
        { date: MON, kind: 'closed' },
        { date: MON, kind: 'hours', intervals: [] },
      ],
    ],
    ['an invalid date', [{ date: '2024-02-30', kind: 'closed' }]],
    ['an invalid time', [{ date: MON, kind: 'hours', intervals: [{ start: '9:00', end: '10:00' }] }]],
  ])('rejects %s', (_name, exceptions) => {
    expect(() => generateSlots(monday({ exceptions }))).toThrow(RangeError);
  });
});

describe('generateSlots: cross-midnight hours', () => {
  const SAT = '2024-03-09';
  const SUN = '2024-03-10';
  const nightShift = office({ weeklyHours: { sat: [{ start: '22:00', end: '02:00' }] }, slotMinutes: 60 });
  const weekend = (overrides: Partial<GenerateSlotsInput>) =>
    monday({ office: nightShift, from: local(SAT, '00:00', BOG), to: local('2024-03-11', '00:00', BOG), ...overrides });

  it.each<[string, Partial<GenerateSlotsInput>, string[]]>([
    [
      'the shift runs from Saturday night into Sunday',
      {},
      [`${SAT} 22:00`, `${SAT} 23:00`, `${SUN} 00:00`, `${SUN} 01:00`],
    ],
    [
      'a range covering only Sunday still gets the Saturday shift after midnight',
      { from: local(SUN, '00:00', BOG) },
      [`${SUN} 00:00`, `${SUN} 01:00`],
    ],
    [
      'a range ending at midnight keeps only the Saturday part',
      { to: local(SUN, '00:00', BOG) },
      [`${SAT} 22:00`, `${SAT} 23:00`],
    ],
    [
      'the shift belongs to Saturday: closing Sunday does not cut it',
      { exceptions: [{ date: SUN, kind: 'closed' }] },
      [`${SAT} 22:00`, `${SAT} 23:00`, `${SUN} 00:00`, `${SUN} 01:00`],
    ],
    ['closing Saturday removes it all', { exceptions: [{ date: SAT, kind: 'closed' }] }, []],
    [
      'a break across midnight',
      {
        office: office({
          weeklyHours: { sat: [{ start: '20:00', end: '04:00' }] },
          breaks: [{ start: '23:30', end: '00:30' }],
          slotMinutes: 60,
        }),
      },
      [`${SAT} 20:00`, `${SAT} 21:00`, `${SAT} 22:00`, `${SUN} 01:00`, `${SUN} 02:00`, `${SUN} 03:00`],
    ],
    [
      'an appointment across midnight in another office blocks both sides',
      { busy: [{ start: local(SAT, '23:30', BOG), end: local(SUN, '00:30', BOG) }] },
      [`${SAT} 22:00`, `${SUN} 01:00`],
    ],
    [
      'an exception may cross midnight too',
      { exceptions: [{ date: SAT, kind: 'hours', intervals: [{ start: '23:00', end: '01:00' }] }] },
      [`${SAT} 23:00`, `${SUN} 00:00`],
    ],
  ])('%s', (_name, overrides, want) => {
    expect(labels(generateSlots(weekend(overrides)))).toEqual(want);
  });

  it('uses the local weekday, not the UTC one', () => {
    // Monday 20:00–23:00 in Bogotá is Tuesday 01:00–04:00 UTC.
    const slots = generateSlots(
      monday({ office: office({ weeklyHours: { mon: [{ start: '20:00', end: '23:00' }] }, slotMinutes: 60 }) }),
    );
    expect(labels(slots)).toEqual([`${MON} 20:00`, `${MON} 21:00`, `${MON} 22:00`]);
    expect(utc(slots)).toEqual(['2024-03-05T01:00:00.000Z', '2024-03-05T02:00:00.000Z', '2024-03-05T03:00:00.000Z']);
  });
});

describe('generateSlots: DST', () => {
  interface DstCase {
    name: string;
    tz: string;
    date: string;
    weekday: 'sat' | 'sun';
    hours: { start: string; end: string };
    slotMinutes: number;
    durationMinutes?: number;
    want: string[];
    wantUtc: string[];
  }
  const cases: DstCase[] = [
    {
      name: 'Madrid spring forward: 02:00 and 02:30 do not exist and are skipped',
      tz: 'Europe/Madrid',
      date: '2024-03-31',
      weekday: 'sun',
      hours: { start: '01:00', end: '04:00' },
      slotMinutes: 30,
      want: ['2024-03-31 01:00', '2024-03-31 01:30', '2024-03-31 03:00', '2024-03-31 03:30'],
      wantUtc: [
        '2024-03-31T00:00:00.000Z',
        '2024-03-31T00:30:00.000Z',
        '2024-03-31T01:00:00.000Z',
        '2024-03-31T01:30:00.000Z',
      ],
    },
    {
      name: 'Madrid spring forward: a 60-minute visit must fit the shorter real interval',
      tz: 'Europe/Madrid',
      date: '2024-03-31',
      weekday: 'sun',
      hours: { start: '01:00', end: '04:00' },
      slotMinutes: 30,
      durationMinutes: 60,
      want: ['2024-03-31 01:00', '2024-03-31 01:30', '2024-03-31 03:00'],
      wantUtc: ['2024-03-31T00:00:00.000Z', '2024-03-31T00:30:00.000Z', '2024-03-31T01:00:00.000Z'],
    },
    {
      name: 'Madrid fall back: the repeated hour is offered once, at its first (CEST) occurrence',
      tz: 'Europe/Madrid',
      date: '2024-10-27',
      weekday: 'sun',
      hours: { start: '01:00', end: '04:00' },
      slotMinutes: 30,
      want: ['01:00', '01:30', '02:00', '02:30', '03:00', '03:30'].map((t) => `2024-10-27 ${t}`),
      wantUtc: [
        '2024-10-26T23:00:00.000Z',
        '2024-10-26T23:30:00.000Z',
        '2024-10-27T00:00:00.000Z',
        '2024-10-27T00:30:00.000Z',
        '2024-10-27T02:00:00.000Z',
        '2024-10-27T02:30:00.000Z',
      ],
    },
    {
      name: 'Santiago spring forward inside a cross-midnight shift: Sunday 00:00–00:59 is skipped',
      tz: 'America/Santiago',
      date: '2024-09-07',
      weekday: 'sat',
      hours: { start: '22:00', end: '02:00' },
      slotMinutes: 30,
      want: [
        '2024-09-07 22:00',
        '2024-09-07 22:30',
        '2024-09-07 23:00',
        '2024-09-07 23:30',
        '2024-09-08 01:00',
        '2024-09-08 01:30',
      ],
      wantUtc: [
        '2024-09-08T02:00:00.000Z',
        '2024-09-08T02:30:00.000Z',
        '2024-09-08T03:00:00.000Z',
        '2024-09-08T03:30:00.000Z',
        '2024-09-08T04:00:00.000Z',
        '2024-09-08T04:30:00.000Z',
      ],
    },
    {
      name: 'Santiago spring forward: a shift ending inside the gap ends at the jump',
      tz: 'America/Santiago',
      date: '2024-09-07',
      weekday: 'sat',
      hours: { start: '22:00', end: '00:30' },
      slotMinutes: 30,
      want: ['2024-09-07 22:00', '2024-09-07 22:30', '2024-09-07 23:00', '2024-09-07 23:30'],
      wantUtc: [
        '2024-09-08T02:00:00.000Z',
        '2024-09-08T02:30:00.000Z',
        '2024-09-08T03:00:00.000Z',
        '2024-09-08T03:30:00.000Z',
      ],
    },
    {
      name: 'Santiago fall back inside a cross-midnight shift: 23:00–23:59 offered once (-03), then Sunday at -04',
      tz: 'America/Santiago',
      date: '2024-04-06',
      weekday: 'sat',
      hours: { start: '22:00', end: '00:30' },
      slotMinutes: 30,
      want: ['2024-04-06 22:00', '2024-04-06 22:30', '2024-04-06 23:00', '2024-04-06 23:30', '2024-04-07 00:00'],
      wantUtc: [
        '2024-04-07T01:00:00.000Z',
        '2024-04-07T01:30:00.000Z',
        '2024-04-07T02:00:00.000Z',
        '2024-04-07T02:30:00.000Z',
        '2024-04-07T04:00:00.000Z',
      ],
    },
    {
      name: 'Santiago winter weekday: plain -04',
      tz: 'America/Santiago',
      date: '2024-07-13',
      weekday: 'sat',
      hours: { start: '09:00', end: '10:00' },
      slotMinutes: 30,
      want: ['2024-07-13 09:00', '2024-07-13 09:30'],
      wantUtc: ['2024-07-13T13:00:00.000Z', '2024-07-13T13:30:00.000Z'],
    },
    {
      name: 'Mexico City 2022: the old April gap skips 02:00',
      tz: 'America/Mexico_City',
      date: '2022-04-03',
      weekday: 'sun',
      hours: { start: '01:00', end: '04:00' },
      slotMinutes: 60,
      want: ['2022-04-03 01:00', '2022-04-03 03:00'],
      wantUtc: ['2022-04-03T07:00:00.000Z', '2022-04-03T08:00:00.000Z'],
    },
    {
      name: 'Mexico City since 2022: the same Sunday has no gap',
      tz: 'America/Mexico_City',
      date: '2024-04-07',
      weekday: 'sun',
      hours: { start: '01:00', end: '04:00' },
      slotMinutes: 60,
      want: ['2024-04-07 01:00', '2024-04-07 02:00', '2024-04-07 03:00'],
      wantUtc: ['2024-04-07T07:00:00.000Z', '2024-04-07T08:00:00.000Z', '2024-04-07T09:00:00.000Z'],
    },
    {
      name: 'Bogotá on Madrid’s spring-forward night: nothing skipped',
      tz: 'America/Bogota',
      date: '2024-03-31',
      weekday: 'sun',
      hours: { start: '01:00', end: '04:00' },
      slotMinutes: 60,
      want: ['2024-03-31 01:00', '2024-03-31 02:00', '2024-03-31 03:00'],
      wantUtc: ['2024-03-31T06:00:00.000Z', '2024-03-31T07:00:00.000Z', '2024-03-31T08:00:00.000Z'],
    },
  ];

  it.each(cases)('$name', (c) => {
    const slots = generateSlots({
      office: office({ timeZone: c.tz, weeklyHours: { [c.weekday]: [c.hours] }, slotMinutes: c.slotMinutes }),
      officeId: 'o',
      // A wide range in UTC, so the zone's own day boundaries are what matter.
      from: new Date(Date.parse(`${c.date}T00:00:00Z`) - 86_400_000),
      to: new Date(Date.parse(`${c.date}T00:00:00Z`) + 3 * 86_400_000),
      exceptions: [],
      busy: [],
      now: new Date('2020-01-01T00:00:00Z'),
      durationMinutes: c.durationMinutes,
    });
    expect(labels(slots)).toEqual(c.want);
    expect(utc(slots)).toEqual(c.wantUtc);
    // Real durations, not wall-clock ones.
    for (const s of slots)
      expect(s.end.getTime() - s.start.getTime()).toBe((c.durationMinutes ?? c.slotMinutes) * 60_000);
  });

  it('applies a break in a fall-back night by wall time, at its first occurrence', () => {
    const slots = generateSlots({
      office: office({
        timeZone: 'Europe/Madrid',
        weeklyHours: { sun: [{ start: '01:00', end: '04:00' }] },
        breaks: [{ start: '02:00', end: '03:00' }],
        slotMinutes: 30,
      }),
      officeId: 'o',
      from: new Date('2024-10-26T00:00:00Z'),
      to: new Date('2024-10-28T00:00:00Z'),
      exceptions: [],
      busy: [],
      now: new Date('2020-01-01T00:00:00Z'),
    });
    // The break runs from 02:00 CEST to 03:00 CET, two real hours, because 03:00 only exists once (after the change).
    expect(labels(slots)).toEqual(['2024-10-27 01:00', '2024-10-27 01:30', '2024-10-27 03:00', '2024-10-27 03:30']);
  });
});

describe('generateSlots: invariants (seeded random busy calendars)', () => {
  it('returns sorted, unique, in-range, conflict-free slots; removing busy time never removes a slot', () => {
    const rand = mulberry32(42);
    const base = office({
      timeZone: 'America/Santiago',
      weeklyHours: {
        mon: [{ start: '08:00', end: '13:00' }],
        wed: [
          { start: '09:00', end: '12:00' },
          { start: '15:00', end: '20:00' },
        ],
        sat: [{ start: '21:00', end: '03:00' }],
      },
      breaks: [{ start: '11:00', end: '11:20' }],
    });
    for (let run = 0; run < 40; run++) {
      const buffer = randomInt(rand, 0, 3) * 5;
      const slotMinutes = [15, 20, 30, 45, 60][randomInt(rand, 0, 4)] ?? 30;
      const testOffice = { ...base, bufferMinutes: buffer, slotMinutes };
      const from = new Date(Date.parse('2024-09-02T00:00:00Z') + randomInt(rand, 0, 48) * 3_600_000);
      const to = new Date(from.getTime() + 9 * 86_400_000);
      const busy: Interval[] = Array.from({ length: randomInt(rand, 0, 12) }, () => {
        const start = from.getTime() + randomInt(rand, 0, 9 * 24 * 12) * 5 * 60_000;
        return { start: new Date(start), end: new Date(start + randomInt(rand, 1, 18) * 5 * 60_000) };
      });
      const input: GenerateSlotsInput = {
        office: testOffice,
        officeId: 'o',
        from,
        to,
        exceptions: [],
        busy,
        now: from,
      };
      const slots = generateSlots(input);
      const starts = slots.map((s) => s.start.getTime());
      expect(starts).toEqual([...new Set(starts)].sort((a, b) => a - b));
      for (const s of slots) {
        expect(s.start.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(s.start.getTime()).toBeLessThan(to.getTime());
        expect(findConflicts(s, busy, buffer)).toEqual([]);
      }
      const free = generateSlots({ ...input, busy: busy.slice(1) });
      const freeStarts = new Set(free.map((s) => s.start.getTime()));
      for (const t of starts) expect(freeStarts.has(t)).toBe(true);
    }
  });

  it('does not depend on the order of busy intervals or exceptions', () => {
    const input = monday({
      office: office({ weeklyHours: { mon: [{ start: '08:00', end: '18:00' }] }, bufferMinutes: 5 }),
      busy: [busyAt(MON, '09:00', '09:45'), busyAt(MON, '13:10', '14:00'), busyAt(MON, '16:00', '16:30')],
      exceptions: [
        { date: '2024-03-05', kind: 'closed' },
        { date: MON, kind: 'hours', intervals: [{ start: '08:00', end: '17:00' }] },
      ],
    });
    const reversed = { ...input, busy: [...input.busy].reverse(), exceptions: [...input.exceptions].reverse() };
    expect(generateSlots(reversed)).toEqual(generateSlots(input));
  });
});

describe('generateSlots: invalid input', () => {
  it.each<[string, Partial<GenerateSlotsInput>]>([
    ['slotMinutes 0', { office: { ...mondayMorning, slotMinutes: 0 } }],
    ['negative buffer', { office: { ...mondayMorning, bufferMinutes: -5 } }],
    ['fractional duration', { durationMinutes: 12.5 }],
    ['negative notice', { minNoticeMinutes: -1 }],
    ['range ending before it starts', { from: local(MON, '12:00', BOG), to: local(MON, '09:00', BOG) }],
    ['an invalid busy date', { busy: [{ start: new Date(Number.NaN), end: local(MON, '10:00', BOG) }] }],
    ['a busy interval ending before it starts', { busy: [busyAt(MON, '11:00', '10:00')] }],
    ['an invalid now', { now: new Date('not a date') }],
  ])('rejects %s', (_name, overrides) => {
    expect(() => generateSlots(monday(overrides))).toThrow(RangeError);
  });

  it('rejects an unknown zone', () => {
    expect(() => generateSlots(monday({ office: { ...mondayMorning, timeZone: 'Nowhere/Land' } }))).toThrow(RangeError);
  });
});
