/**
 * From the specialist's appointments to what the calendar draws: title, colour by status, modality icon, and the
 * hours worth showing. Pure: words come in as functions, colours are Vuetify theme names.
 *
 * What an event says is what the specialist may see of the booking: the visit type, the dependant's name when the
 * visit is for one, and the reason the patient wrote for the specialist. Nothing else of the patient is on the
 * appointment, and the calendar reads nothing else.
 */
import { hhmmToMinutes, utcToLocal, type AppointmentStatus, type Modality, type Office } from '@telesalud/domain';
import type { AppointmentView, VisitType } from '../../data/appointments';

/** Vuetify theme colours (plugins/vuetify.ts) of the statuses. */
export type StatusColor = 'success' | 'warning' | 'accent' | 'primary' | 'error' | 'secondary';

/**
 * The colour of a status: confirmed green, waiting for payment orange, proposed blue, completed in the brand colour,
 * no-show red, cancelled grey (and struck through).
 * @param status - the appointment's status
 */
export function statusColor(status: AppointmentStatus): StatusColor {
  switch (status) {
    case 'confirmed':
      return 'success';
    case 'pending_payment':
      return 'warning';
    case 'proposed':
      return 'accent';
    case 'completed':
      return 'primary';
    case 'no_show':
      return 'error';
    case 'cancelled':
      return 'secondary';
  }
}

/**
 * The Material Design icon of a modality (the same ones the patient's list uses).
 * @param modality - video or in person
 */
export function modalityIcon(modality: Modality): string {
  return modality === 'video' ? 'mdi-video' : 'mdi-hospital-building';
}

/** The words an event title needs, in the UI language. */
export interface EventWords {
  visitType(v: VisitType): string;
  /** "Para Tomás" */
  dependant(name: string): string;
}

/** The reason can be 500 characters; the calendar shows its start, the details dialog all of it. */
export const TITLE_REASON_CHARS = 60;

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/**
 * An event's title without its time (FullCalendar writes the time in the zone it draws): visit type, the dependant
 * when the visit is for one, and the start of the reason. "Control · Para Tomás · Revisión de un lunar".
 * @param a - the appointment
 * @param words - the UI's words
 */
export function eventTitle(a: AppointmentView, words: EventWords): string {
  const parts = [words.visitType(a.visitType)];
  if (a.forWhom === 'dependant' && a.dependantName) parts.push(words.dependant(a.dependantName));
  const reason = shorten(a.reason, TITLE_REASON_CHARS);
  if (reason) parts.push(reason);
  return parts.join(' · ');
}

/** One FullCalendar event (an EventInput with exactly the fields we set). */
export interface CalendarEvent {
  id: string;
  title: string;
  start: Date;
  end: Date;
  backgroundColor: string;
  borderColor: string;
  textColor: string;
  classNames: string[];
  /** Ours, read by the event's content template. */
  icon: string;
  color: StatusColor;
  status: AppointmentStatus;
  modality: Modality;
}

/**
 * The events of a list of appointments. Cancelled ones are left out unless asked for, then drawn struck through.
 * @param list - the appointments in the visible range
 * @param opts - whether to show cancelled appointments, and the words
 */
export function toCalendarEvents(list: readonly AppointmentView[], opts: { showCancelled: boolean; words: EventWords }): CalendarEvent[] {
  return list
    .filter((a) => opts.showCancelled || a.status !== 'cancelled')
    .map((a) => {
      const color = statusColor(a.status);
      return {
        id: a.id,
        title: eventTitle(a, opts.words),
        start: a.start,
        end: a.end,
        backgroundColor: `rgb(var(--v-theme-${color}))`,
        borderColor: `rgb(var(--v-theme-${color}))`,
        textColor: `rgb(var(--v-theme-on-${color}))`,
        classNames: ['appt', `appt--${a.status}`],
        icon: modalityIcon(a.modality),
        color,
        status: a.status,
        modality: a.modality,
      };
    });
}

/** The time grid's first and last hour, as FullCalendar durations ('07:00:00', '19:00:00'). */
export interface VisibleHours {
  min: string;
  max: string;
}

/** When there is nothing to go by: a working day. */
const DEFAULT_HOURS = { min: 8 * 60, max: 18 * 60 };

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  return `${String(h).padStart(2, '0')}:00:00`;
}

/**
 * The hours the time grid shows: the offices' opening hours (those kept in the zone drawn) and every appointment drawn,
 * widened to whole hours with one hour of margin, so that nothing shown falls outside and the grid needs no scrolling
 * through empty nights. An appointment that crosses midnight in the zone opens the whole day.
 * @param list - the appointments drawn
 * @param offices - the specialist's offices (weekly hours are in each office's own zone)
 * @param timeZone - the zone the calendar is drawn in
 */
export function visibleHours(
  list: readonly Pick<AppointmentView, 'start' | 'end'>[],
  offices: readonly Pick<Office, 'timeZone' | 'weeklyHours'>[],
  timeZone: string,
): VisibleHours {
  let min = Infinity;
  let max = -Infinity;
  const widen = (from: number, to: number) => {
    min = Math.min(min, from);
    max = Math.max(max, to);
  };
  for (const o of offices) {
    if (o.timeZone !== timeZone) continue;
    for (const intervals of Object.values(o.weeklyHours)) {
      for (const i of intervals ?? []) {
        const s = hhmmToMinutes(i.start);
        const e = hhmmToMinutes(i.end);
        // An interval that ends at or before its start crosses midnight.
        if (e <= s) widen(0, 24 * 60);
        else widen(s, e);
      }
    }
  }
  for (const a of list) {
    const s = utcToLocal(a.start, timeZone);
    const e = utcToLocal(a.end, timeZone);
    const endMinutes = hhmmToMinutes(e.time);
    if (e.date === s.date) widen(hhmmToMinutes(s.time), endMinutes);
    // Ending exactly at the next midnight is still the same day.
    else if (endMinutes === 0 && a.end.getTime() - a.start.getTime() < 86_400_000) widen(hhmmToMinutes(s.time), 24 * 60);
    else widen(0, 24 * 60);
  }
  if (min === Infinity) ({ min, max } = DEFAULT_HOURS);
  const from = Math.max(0, Math.floor(min / 60) * 60 - 60);
  const to = Math.min(24 * 60, Math.ceil(max / 60) * 60 + 60);
  return { min: duration(from), max: duration(to) };
}
