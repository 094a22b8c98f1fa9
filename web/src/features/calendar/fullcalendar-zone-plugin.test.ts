import { describe, expect, it } from 'vitest';
import { Calendar } from '@fullcalendar/core';
import timeGridPlugin from '@fullcalendar/timegrid';
import { intlTimeZonePlugin } from './fullcalendar-zone-plugin';

/** A FullCalendar (not rendered: its date environment is what the plugin feeds) drawn in a zone. */
function calendarIn(timeZone: string, withPlugin = true): Calendar {
  return new Calendar(document.createElement('div'), {
    plugins: withPlugin ? [timeGridPlugin, intlTimeZonePlugin] : [timeGridPlugin],
    timeZone,
    initialView: 'timeGridDay',
    initialDate: '2027-07-12',
  });
}

describe('the Intl time-zone plugin in FullCalendar', () => {
  it('gives named zones their real offset (without it FullCalendar draws them as UTC)', () => {
    const instant = new Date('2027-07-12T14:30:00Z');
    expect(calendarIn('America/Bogota').formatIso(instant)).toBe('2027-07-12T09:30:00-05:00');
    expect(calendarIn('Europe/Madrid').formatIso(instant)).toBe('2027-07-12T16:30:00+02:00');
    // Without it: UTC's wall time and no offset at all.
    expect(calendarIn('America/Bogota', false).formatIso(instant)).toBe('2027-07-12T14:30:00');
  });

  it("parses a zone-less date as the zone's wall time, so ?fecha= opens the zone's day", () => {
    const cal = calendarIn('Europe/Madrid');
    expect(cal.getDate().toISOString()).toBe('2027-07-11T22:00:00.000Z');
  });
});
