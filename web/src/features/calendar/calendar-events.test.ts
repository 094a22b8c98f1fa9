import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES } from '@telesalud/domain';
import type { AppointmentView } from '../../data/appointments';
import { eventTitle, modalityIcon, statusColor, TITLE_REASON_CHARS, toCalendarEvents, visibleHours, type EventWords } from './calendar-events';

const words: EventWords = {
  visitType: (v) => (v === 'first' ? 'Primera vez' : 'Control'),
  dependant: (name) => `Para ${name}`,
};

function appt(over: Partial<AppointmentView> = {}): AppointmentView {
  return {
    id: 'a1',
    specialistUid: 'esp-1',
    officeId: 'principal',
    modality: 'in_person',
    // 09:30–10:00 in Bogotá (UTC-5).
    start: new Date('2027-01-12T14:30:00Z'),
    end: new Date('2027-01-12T15:00:00Z'),
    timeZone: 'America/Bogota',
    status: 'confirmed',
    price: { amount: 180000, currency: 'COP' },
    paymentPolicy: 'pay_at_visit',
    reason: 'Revisión de un lunar',
    visitType: 'follow_up',
    forWhom: 'self',
    ...over,
  };
}

const bogotaOffice = {
  timeZone: 'America/Bogota',
  weeklyHours: { mon: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }], wed: [{ start: '09:00', end: '13:00' }] },
};

describe('event title', () => {
  it('is the visit type and the reason; a dependant is named', () => {
    expect(eventTitle(appt(), words)).toBe('Control · Revisión de un lunar');
    expect(eventTitle(appt({ visitType: 'first', forWhom: 'dependant', dependantName: 'Tomás Torres' }), words)).toBe(
      'Primera vez · Para Tomás Torres · Revisión de un lunar',
    );
  });

  it('shortens a long reason on one line and never cuts the visit type', () => {
    const long = `Dolor\nde espalda   desde hace semanas ${'x'.repeat(400)}`;
    const title = eventTitle(appt({ reason: long }), words);
    expect(title.startsWith('Control · Dolor de espalda desde hace semanas')).toBe(true);
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBe('Control · '.length + TITLE_REASON_CHARS);
  });

});

describe('calendar events', () => {
  it('keep the instants, id and status; colour and icon follow status and modality', () => {
    const [e] = toCalendarEvents([appt({ modality: 'video', status: 'pending_payment' })], { showCancelled: false, words });
    expect(e).toEqual({
      id: 'a1',
      title: 'Control · Revisión de un lunar',
      start: new Date('2027-01-12T14:30:00Z'),
      end: new Date('2027-01-12T15:00:00Z'),
      backgroundColor: 'rgb(var(--v-theme-warning))',
      borderColor: 'rgb(var(--v-theme-warning))',
      textColor: 'rgb(var(--v-theme-on-warning))',
      classNames: ['appt', 'appt--pending_payment'],
      icon: 'mdi-video',
      color: 'warning',
      status: 'pending_payment',
      modality: 'video',
    });
  });

  it('every status has its own colour', () => {
    expect(APPOINTMENT_STATUSES.map((s) => [s, statusColor(s)])).toEqual([
      ['proposed', 'accent'],
      ['pending_payment', 'warning'],
      ['confirmed', 'success'],
      ['completed', 'primary'],
      ['no_show', 'error'],
      ['cancelled', 'secondary'],
    ]);
    expect(new Set(APPOINTMENT_STATUSES.map(statusColor)).size).toBe(APPOINTMENT_STATUSES.length);
    expect([modalityIcon('video'), modalityIcon('in_person')]).toEqual(['mdi-video', 'mdi-hospital-building']);
  });

  it('hide cancelled appointments unless asked, then mark them for striking through', () => {
    const list = [appt(), appt({ id: 'a2', status: 'cancelled' })];
    expect(toCalendarEvents(list, { showCancelled: false, words }).map((e) => e.id)).toEqual(['a1']);
    const shown = toCalendarEvents(list, { showCancelled: true, words });
    expect(shown.map((e) => [e.id, e.classNames])).toEqual([
      ['a1', ['appt', 'appt--confirmed']],
      ['a2', ['appt', 'appt--cancelled']],
    ]);
  });

  it('a cancellation arriving in a new snapshot changes or removes the event', () => {
    const before = toCalendarEvents([appt()], { showCancelled: false, words });
    const after = toCalendarEvents([appt({ status: 'cancelled' })], { showCancelled: false, words });
    const afterShown = toCalendarEvents([appt({ status: 'cancelled' })], { showCancelled: true, words });
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(0);
    expect(afterShown[0]?.color).toBe('secondary');
  });
});

describe('visible hours', () => {
  it("are the offices' hours in the zone drawn, one hour of margin each side", () => {
    expect(visibleHours([], [bogotaOffice], 'America/Bogota')).toEqual({ min: '07:00:00', max: '19:00:00' });
  });

  it("widen to appointments outside opening hours, in the calendar's zone", () => {
    // 19:30–20:10 in Bogotá.
    const late = appt({ start: new Date('2027-01-13T00:30:00Z'), end: new Date('2027-01-13T01:10:00Z') });
    expect(visibleHours([late], [bogotaOffice], 'America/Bogota')).toEqual({ min: '07:00:00', max: '22:00:00' });
  });

  it('ignore the hours of offices in another zone, read appointments in the zone drawn', () => {
    // 09:30–10:00 in Bogotá is 15:30–16:00 in Madrid (winter).
    expect(visibleHours([appt()], [bogotaOffice], 'Europe/Madrid')).toEqual({ min: '14:00:00', max: '17:00:00' });
  });

  it('open the whole day for anything crossing midnight; an end at midnight is the same day', () => {
    const night = { timeZone: 'America/Bogota', weeklyHours: { fri: [{ start: '22:00', end: '02:00' }] } };
    expect(visibleHours([], [night], 'America/Bogota')).toEqual({ min: '00:00:00', max: '24:00:00' });
    // 23:00–00:00 in Bogotá.
    const toMidnight = appt({ start: new Date('2027-01-13T04:00:00Z'), end: new Date('2027-01-13T05:00:00Z') });
    expect(visibleHours([toMidnight], [], 'America/Bogota')).toEqual({ min: '22:00:00', max: '24:00:00' });
    const acrossMidnight = appt({ start: new Date('2027-01-13T04:00:00Z'), end: new Date('2027-01-13T05:30:00Z') });
    expect(visibleHours([acrossMidnight], [], 'America/Bogota')).toEqual({ min: '00:00:00', max: '24:00:00' });
  });

  it('fall back to a working day when there is nothing to go by', () => {
    expect(visibleHours([], [], 'America/Bogota')).toEqual({ min: '07:00:00', max: '19:00:00' });
  });
});
