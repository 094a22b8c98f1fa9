import { describe, expect, it } from 'vitest';
import { buildIcs, foldLine, icsDate, icsText } from './ics';

describe('ics', () => {
  it('writes one event in UTC with CRLF lines', () => {
    const text = buildIcs({
      uid: 'apt1@telesalud',
      start: new Date('2027-01-15T14:00:00Z'),
      end: new Date('2027-01-15T14:30:00Z'),
      stamp: new Date('2027-01-10T09:05:07.123Z'),
      summary: 'Cita con Dra. Rojas',
      location: 'Calle 93 #11-26, Chicó',
    });
    expect(text).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Telesalud//Booking//ES',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'BEGIN:VEVENT',
        'UID:apt1@telesalud',
        'DTSTAMP:20270110T090507Z',
        'DTSTART:20270115T140000Z',
        'DTEND:20270115T143000Z',
        'SUMMARY:Cita con Dra. Rojas',
        'LOCATION:Calle 93 #11-26\\, Chicó',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('escapes text and formats dates', () => {
    expect(icsText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
    expect(icsDate(new Date('2027-03-01T00:00:00.999Z'))).toBe('20270301T000000Z');
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const line = `SUMMARY:${'á'.repeat(60)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    const enc = new TextEncoder();
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => enc.encode(p).length <= 75)).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
  });
});
