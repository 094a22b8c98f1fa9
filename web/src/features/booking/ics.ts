/**
 * A one-event iCalendar file (RFC 5545) for a booked appointment, built in the browser with ical-generator (which
 * escapes text, folds lines at 75 octets and writes CRLF). Loaded only with download-ics.ts, when the person asks.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';

export interface IcsEvent {
  /** Globally unique: the appointment id with our domain. */
  uid: string;
  start: Date;
  end: Date;
  /** When the file is made (DTSTAMP). */
  stamp: Date;
  summary: string;
  description?: string;
  location?: string;
}

/**
 * The text of an .ics file with one event, its instants in UTC (calendar apps show them in the reader's zone).
 * @param e - the event
 */
export function buildIcs(e: IcsEvent): string {
  const calendar = ical({ prodId: { company: 'Telesalud', product: 'Booking', language: 'ES' }, method: ICalCalendarMethod.PUBLISH });
  calendar.createEvent({
    id: e.uid,
    start: e.start,
    end: e.end,
    stamp: e.stamp,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    ...(e.location ? { location: e.location } : {}),
  });
  // RFC 5545 ends every content line, the last one too, with CRLF; ical-generator leaves the last one bare.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
