import { describe, expect, it } from 'vitest';
import { generateSlots } from '@telesalud/domain';
import { exceptionsForOffice, groupByOfficeDate, slotKey, slotRows } from './slot-display';

const office = { weeklyHours: { mon: [{ start: '22:00', end: '23:00' }], tue: [{ start: '08:00', end: '09:00' }] }, breaks: [], slotMinutes: 30, bufferMinutes: 0, timeZone: 'America/Bogota' };
const MON = new Date('2027-01-11T00:00:00Z');

describe('slot display', () => {
  it('an office exception wins over a specialist-wide one on the same date; other offices are ignored', () => {
    const got = exceptionsForOffice(
      [
        { id: '2027-01-11', date: '2027-01-11', kind: 'closed' },
        { id: '2027-01-11_principal', date: '2027-01-11', kind: 'hours', intervals: [{ start: '10:00', end: '11:00' }], officeId: 'principal' },
        { id: '2027-01-12_video', date: '2027-01-12', kind: 'closed', officeId: 'video' },
        { id: '2027-01-13', date: '2027-01-13', kind: 'closed' },
      ],
      'principal',
    );
    expect(got).toEqual([
      { date: '2027-01-11', kind: 'hours', intervals: [{ start: '10:00', end: '11:00' }] },
      { date: '2027-01-13', kind: 'closed' },
    ]);
  });

  it('shows each slot in the office zone and the patient zone, with the day shift', () => {
    const slots = generateSlots({ office, officeId: 'principal', from: MON, to: new Date('2027-01-13T00:00:00Z'), exceptions: [], busy: [], now: MON });
    const rows = slotRows(slots, 'Europe/Madrid');
    expect(rows.map((r) => [r.officeDate, r.officeTime, r.patientDate, r.patientTime, r.dayShift])).toEqual([
      ['2027-01-11', '22:00', '2027-01-12', '04:00', 1],
      ['2027-01-11', '22:30', '2027-01-12', '04:30', 1],
      ['2027-01-12', '08:00', '2027-01-12', '14:00', 0],
      ['2027-01-12', '08:30', '2027-01-12', '14:30', 0],
    ]);
    expect(rows[0]?.key).toBe(slotKey('principal', new Date('2027-01-12T03:00:00Z')));
    expect(groupByOfficeDate(rows).map((g) => [g.date, g.rows.length])).toEqual([
      ['2027-01-11', 2],
      ['2027-01-12', 2],
    ]);
  });

  it('a busy interval from the projection removes the slots it overlaps', () => {
    const busy = [{ start: new Date('2027-01-12T03:00:00Z'), end: new Date('2027-01-12T03:30:00Z') }];
    const slots = generateSlots({ office, officeId: 'principal', from: MON, to: new Date('2027-01-12T12:00:00Z'), exceptions: [], busy, now: MON });
    expect(slotRows(slots, 'America/Bogota').map((r) => r.officeTime)).toEqual(['22:30']);
  });
});
