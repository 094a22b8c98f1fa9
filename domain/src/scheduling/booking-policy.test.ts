import { describe, expect, it } from 'vitest';
import {
  bookingLimitRefusal,
  bookingSettingsOf,
  bookingSettingsSchema,
  bookingTimeRefusal,
  bookingWindow,
  DEFAULT_BOOKING_SETTINGS,
  isActiveBooking,
  isExpiredUnpaid,
  MAX_ACTIVE_BOOKINGS_PER_PATIENT,
  visitMinutes,
  type HeldAppointment,
} from './booking-policy';
import { ts } from '../model/testing';

const NOW = new Date('2027-01-15T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const defaults = bookingSettingsOf(undefined);

describe('booking settings', () => {
  it('takes the specialist’s own values and the defaults for the rest', () => {
    expect(defaults).toEqual({ maxActivePerPatient: 3, horizonDays: 183, minNoticeMinutes: 120 });
    expect(bookingSettingsOf({ horizonDays: 30 })).toEqual({ ...DEFAULT_BOOKING_SETTINGS, horizonDays: 30 });
    expect(bookingSettingsOf({ minNoticeMinutes: 0, maxActivePerPatient: 1 })).toEqual({ maxActivePerPatient: 1, horizonDays: 183, minNoticeMinutes: 0 });
  });

  it.each([
    [{}, true],
    [{ horizonDays: 730, minNoticeMinutes: 0, maxActivePerPatient: 50 }, true],
    [{ horizonDays: 0 }, false],
    [{ horizonDays: 731 }, false],
    [{ minNoticeMinutes: -1 }, false],
    [{ minNoticeMinutes: 1.5 }, false],
    [{ maxActivePerPatient: 0 }, false],
    [{ maxActivePerPatient: 51 }, false],
    [{ extra: 1 }, false],
  ])('settings %j valid: %s', (v, ok) => {
    expect(bookingSettingsSchema.safeParse(v).success).toBe(ok);
  });
});

describe('bookingTimeRefusal (defaults: 2 hours notice, 183 days ahead)', () => {
  it.each([
    ['a minute ago', at(-MIN), 'slot-in-past'],
    ['now', NOW, 'slot-in-past'],
    ['in a minute', at(MIN), 'too-soon'],
    ['in 119 minutes', at(119 * MIN), 'too-soon'],
    ['in exactly 2 hours', at(120 * MIN), null],
    ['tomorrow', at(DAY), null],
    ['in 182 days', at(182 * DAY), null],
    ['a millisecond before the horizon', at(183 * DAY - 1), null],
    ['at the horizon', at(183 * DAY), 'too-far'],
    ['in a year', at(365 * DAY), 'too-far'],
    ['on 9999-12-27', new Date('9999-12-27T14:00:00Z'), 'too-far'],
  ])('%s → %s', (_why, start, refusal) => {
    expect(bookingTimeRefusal(start, NOW, defaults)).toBe(refusal);
  });

  it('follows the specialist’s settings; no notice still refuses the past', () => {
    const own = bookingSettingsOf({ minNoticeMinutes: 0, horizonDays: 7 });
    expect(bookingTimeRefusal(at(MIN), NOW, own)).toBeNull();
    expect(bookingTimeRefusal(NOW, NOW, own)).toBe('slot-in-past');
    expect(bookingTimeRefusal(at(7 * DAY), NOW, own)).toBe('too-far');
    expect(bookingWindow(NOW, own)).toEqual({ earliest: NOW, latest: at(7 * DAY) });
  });
});

describe('visit length', () => {
  it('is the office’s for every visit type, whatever the patient wants', () => {
    expect(visitMinutes({ slotMinutes: 30 }, 'first')).toBe(30);
    expect(visitMinutes({ slotMinutes: 50 }, 'follow_up')).toBe(50);
  });
});

describe('active bookings and expiry', () => {
  const held = (over: Partial<HeldAppointment>): HeldAppointment => ({ status: 'confirmed', end: ts(NOW.getTime() / 1000 + 3600), ...over });
  it.each([
    ['confirmed, ending later', held({}), true, false],
    ['confirmed, already over', held({ end: ts(NOW.getTime() / 1000 - 1) }), false, false],
    ['pending payment before its deadline', held({ status: 'pending_payment', paymentDueAt: ts(NOW.getTime() / 1000 + 60) }), true, false],
    ['pending payment at its deadline', held({ status: 'pending_payment', paymentDueAt: ts(NOW.getTime() / 1000) }), false, true],
    ['pending payment past its deadline', held({ status: 'pending_payment', paymentDueAt: ts(NOW.getTime() / 1000 - 60) }), false, true],
    ['pending payment without a deadline', held({ status: 'pending_payment' }), true, false],
    ['cancelled', held({ status: 'cancelled' }), false, false],
    ['proposed', held({ status: 'proposed' }), false, false],
    ['completed', held({ status: 'completed' }), false, false],
  ])('%s: active %s, expired unpaid %s', (_why, a, active, expired) => {
    expect(isActiveBooking(a, NOW)).toBe(active);
    expect(isExpiredUnpaid(a, NOW)).toBe(expired);
  });

  const withSpecialists = (...uids: string[]) => uids.map((specialistUid) => ({ specialistUid }));
  it.each([
    ['none yet', withSpecialists(), null],
    ['two with her', withSpecialists('a', 'a'), null],
    ['three with her', withSpecialists('a', 'a', 'a'), 'too-many-with-specialist'],
    ['three with someone else', withSpecialists('b', 'b', 'b'), null],
    ['nine elsewhere', withSpecialists(...Array<string>(9).fill('b')), null],
    ['ten elsewhere', withSpecialists(...Array<string>(MAX_ACTIVE_BOOKINGS_PER_PATIENT).fill('b')), 'too-many-bookings'],
  ])('%s → %s', (_why, active, refusal) => {
    expect(bookingLimitRefusal({ active, specialistUid: 'a', settings: defaults })).toBe(refusal);
  });

  it('follows the specialist’s limit and a given platform cap', () => {
    expect(bookingLimitRefusal({ active: withSpecialists('a'), specialistUid: 'a', settings: bookingSettingsOf({ maxActivePerPatient: 1 }) })).toBe(
      'too-many-with-specialist',
    );
    expect(bookingLimitRefusal({ active: withSpecialists('b', 'c'), specialistUid: 'a', settings: defaults, platformMax: 2 })).toBe('too-many-bookings');
  });
});
