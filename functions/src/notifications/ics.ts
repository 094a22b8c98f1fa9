/**
 * The .ics attached to a booking confirmation: one event (RFC 5545) built with ical-generator, which escapes text,
 * folds lines at 75 octets and writes CRLF; the same library and shape as the web's download
 * (web/src/features/booking/ics.ts). Instants are written in UTC: calendar apps show them in the reader's zone.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';

export interface IcsEvent {
  /** Globally unique and stable, so a second file for the same appointment updates the event instead of adding one. */
  uid: string;
  start: Date;
  end: Date;
  /** When the file is made (DTSTAMP). */
  stamp: Date;
  summary: string;
  description?: string;
  /** The office's address, or the video room's link. */
  location?: string;
  url?: string;
}

/**
 * The text of an .ics file with one event.
 * @param e - the event
 */
export function buildIcs(e: IcsEvent): string {
  const calendar = ical({ prodId: { company: 'Telesalud', product: 'Notifications', language: 'ES' }, method: ICalCalendarMethod.PUBLISH });
  calendar.createEvent({
    id: e.uid,
    start: e.start,
    end: e.end,
    stamp: e.stamp,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    ...(e.location ? { location: e.location } : {}),
    ...(e.url ? { url: e.url } : {}),
  });
  // RFC 5545 ends every content line, the last one too, with CRLF; ical-generator leaves the last one bare.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
