import { describe, expect, it } from 'vitest';
import { buildIcs } from './ics';

const event = {
  uid: 'apt1@telesalud',
  start: new Date('2027-01-15T14:00:00Z'),
  end: new Date('2027-01-15T14:30:00Z'),
  stamp: new Date('2027-01-10T09:05:07.123Z'),
  summary: 'Cita con Dra. Rojas',
  location: 'Calle 93 #11-26, Chicó',
};

/** The content lines of an .ics text, unfolded (RFC 5545 §3.1: CRLF followed by one space continues a line). */
function unfolded(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l.length > 0);
}

describe('ics', () => {
  it('writes one published event with its instants in UTC', () => {
    const lines = unfolded(buildIcs(event));
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toEqual(
      expect.arrayContaining([
        'VERSION:2.0',
        'PRODID:-//Telesalud//Booking//ES',
        'METHOD:PUBLISH',
        'BEGIN:VEVENT',
        'UID:apt1@telesalud',
        'DTSTAMP:20270110T090507Z',
        'DTSTART:20270115T140000Z',
        'DTEND:20270115T143000Z',
        'SUMMARY:Cita con Dra. Rojas',
        'END:VEVENT',
      ]),
    );
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  });

  it('escapes text values: commas, semicolons, backslashes and newlines', () => {
    const lines = unfolded(buildIcs({ ...event, description: 'a;b,c\\d\ne' }));
    expect(lines).toContain('LOCATION:Calle 93 #11-26\\, Chicó');
    expect(lines).toContain('DESCRIPTION:a\\;b\\,c\\\\d\\ne');
  });

  it('ends every line with CRLF and folds long ones at 75 octets without splitting a character', () => {
    const summary = 'á'.repeat(60);
    const text = buildIcs({ ...event, summary });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const enc = new TextEncoder();
    expect(text.split('\r\n').every((l) => enc.encode(l).length <= 75)).toBe(true);
    expect(unfolded(text)).toContain(`SUMMARY:${summary}`);
  });

  it('leaves out what the event does not have', () => {
    const { location: _, ...bare } = event;
    const lines = unfolded(buildIcs(bare));
    expect(lines.some((l) => l.startsWith('LOCATION'))).toBe(false);
    expect(lines.some((l) => l.startsWith('DESCRIPTION'))).toBe(false);
  });
});
