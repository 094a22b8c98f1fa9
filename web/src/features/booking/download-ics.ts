/** Saves an appointment as an .ics file from the browser. Loaded on demand, with ics.ts, when the person asks. */
import { buildIcs, type IcsEvent } from './ics';

/**
 * Offers the event as a download.
 * @param event - the appointment as a calendar event
 * @param fileName - e.g. 'cita-abc.ics'
 */
export function downloadIcs(event: IcsEvent, fileName: string): void {
  const url = URL.createObjectURL(new Blob([buildIcs(event)], { type: 'text/calendar;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The click has handed the blob to the download by the next task.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
