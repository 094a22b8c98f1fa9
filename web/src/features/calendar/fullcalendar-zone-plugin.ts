/**
 * A FullCalendar plugin that gives named time zones (`timeZone: 'America/Bogota'`) real offsets. FullCalendar 6 has
 * none of its own: without a plugin it draws named zones as UTC. The official ones wrap Luxon or Moment; this one
 * wraps calendar-zone.ts, i.e. the domain's Intl-based conversions, so the calendar and the slots agree on every
 * DST rule and the bundle carries no second date library. The base class comes from `@fullcalendar/core/internal`,
 * the entry FullCalendar's own plugins build on.
 */
import { createPlugin } from '@fullcalendar/core';
import { NamedTimeZoneImpl } from '@fullcalendar/core/internal';
import { offsetForWall, wallArrayAt } from './calendar-zone';

class IntlNamedTimeZone extends NamedTimeZoneImpl {
  offsetForArray(a: number[]): number {
    return offsetForWall(a, this.timeZoneName);
  }

  timestampToArray(ms: number): number[] {
    return wallArrayAt(ms, this.timeZoneName);
  }
}

/** Add to `plugins` of any calendar that sets a named `timeZone`. */
export const intlTimeZonePlugin = createPlugin({ name: 'telesalud-intl-time-zone', namedTimeZonedImpl: IntlNamedTimeZone });
