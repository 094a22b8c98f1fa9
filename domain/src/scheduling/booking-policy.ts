/**
 * What a patient may book, beyond "is this an offered slot": how far ahead (horizon), how soon (minimum notice), how
 * long the visit is, and how many active bookings one patient may hold. Each specialist may set the first three on
 * their profile (`bookingSettings`); what they leave unset comes from DEFAULT_BOOKING_SETTINGS. The platform-wide cap
 * on a patient's bookings is not the specialist's to raise. Pure: the booking transaction (functions) and the slot
 * picker (web) both decide from here, so the picker never offers what the server refuses.
 */
import { z } from 'zod';
import type { AppointmentStatus, VISIT_TYPES } from '../model/appointment';
import type { TimestampLike } from '../model/common';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A specialist's own booking settings, each optional (unset means the platform default). */
export const bookingSettingsSchema = z.strictObject({
  /** Active future bookings one patient may hold with this specialist. */
  maxActivePerPatient: z.number().int().min(1).max(50).optional(),
  /** How many days ahead a visit may be booked (a start before now + horizonDays). */
  horizonDays: z.number().int().min(1).max(730).optional(),
  /** The least notice before a visit, in minutes (a start at or after now + minNoticeMinutes). */
  minNoticeMinutes: z.number().int().min(0).max(14 * 24 * 60).optional(),
});
export type BookingSettingsInput = z.infer<typeof bookingSettingsSchema>;

/** The settings a booking is checked against, every field decided. */
export interface BookingSettings {
  maxActivePerPatient: number;
  horizonDays: number;
  minNoticeMinutes: number;
}

/** About six months ahead, two hours' notice, three visits with one specialist at a time. */
export const DEFAULT_BOOKING_SETTINGS: Readonly<BookingSettings> = Object.freeze({
  maxActivePerPatient: 3,
  horizonDays: 183,
  minNoticeMinutes: 120,
});

/** Active future bookings one patient may hold across every specialist; platform-wide, not a specialist setting. */
export const MAX_ACTIVE_BOOKINGS_PER_PATIENT = 10;

/**
 * The settings in force for a specialist: theirs where set, the defaults elsewhere.
 * @param own - the profile's `bookingSettings`, or undefined
 */
export function bookingSettingsOf(own: BookingSettingsInput | undefined): BookingSettings {
  return {
    maxActivePerPatient: own?.maxActivePerPatient ?? DEFAULT_BOOKING_SETTINGS.maxActivePerPatient,
    horizonDays: own?.horizonDays ?? DEFAULT_BOOKING_SETTINGS.horizonDays,
    minNoticeMinutes: own?.minNoticeMinutes ?? DEFAULT_BOOKING_SETTINGS.minNoticeMinutes,
  };
}

/**
 * The instants a visit may start in: from now + notice (included) to now + horizon (excluded).
 * @param now - the clock
 * @param settings - the specialist's settings in force
 */
export function bookingWindow(now: Date, settings: BookingSettings): { earliest: Date; latest: Date } {
  return {
    earliest: new Date(now.getTime() + settings.minNoticeMinutes * MINUTE_MS),
    latest: new Date(now.getTime() + settings.horizonDays * DAY_MS),
  };
}

/** Why a start is outside the booking window; `slot-in-past` before `too-soon`, so a past time says so. */
export type BookingTimeRefusal = 'slot-in-past' | 'too-soon' | 'too-far';

/**
 * Whether a visit may start at `start`, booked or moved at `now`.
 * @param start - the requested start
 * @param now - the clock
 * @param settings - the specialist's settings in force
 * @returns null when it may, or why not
 */
export function bookingTimeRefusal(start: Date, now: Date, settings: BookingSettings): BookingTimeRefusal | null {
  if (start.getTime() <= now.getTime()) return 'slot-in-past';
  const { earliest, latest } = bookingWindow(now, settings);
  if (start.getTime() < earliest.getTime()) return 'too-soon';
  if (start.getTime() >= latest.getTime()) return 'too-far';
  return null;
}

/**
 * The length of a visit, decided by the office and the visit type, never by the patient: today every visit type
 * lasts the office's slot, and a length per type belongs here when offices get one.
 * @param office - the office's slot length
 * @param visitType - first visit or follow-up
 */
export function visitMinutes(office: { slotMinutes: number }, visitType: (typeof VISIT_TYPES)[number]): number {
  switch (visitType) {
    case 'first':
    case 'follow_up':
      return office.slotMinutes;
  }
}

/** What deciding whether an appointment still holds its time needs. */
export interface HeldAppointment {
  status: AppointmentStatus;
  end: TimestampLike;
  paymentDueAt?: TimestampLike | undefined;
}

/**
 * Whether a prepaid booking's payment deadline has passed unpaid: it no longer holds its slot, and the system
 * cancels it (the expiry job, or any booking transaction that meets its lock).
 * @param a - the appointment
 * @param now - the clock
 */
export function isExpiredUnpaid(a: Pick<HeldAppointment, 'status' | 'paymentDueAt'>, now: Date): boolean {
  return a.status === 'pending_payment' && a.paymentDueAt !== undefined && a.paymentDueAt.toDate().getTime() <= now.getTime();
}

/** Statuses in which an appointment counts towards a patient's limit (and holds its slot). */
export const ACTIVE_BOOKING_STATUSES = ['pending_payment', 'confirmed'] as const satisfies readonly AppointmentStatus[];
const ACTIVE: readonly AppointmentStatus[] = ACTIVE_BOOKING_STATUSES;

/**
 * Whether an appointment counts towards its patient's limits: pending payment (deadline not passed) or confirmed,
 * and not yet over.
 * @param a - the appointment
 * @param now - the clock
 */
export function isActiveBooking(a: HeldAppointment, now: Date): boolean {
  return ACTIVE.includes(a.status) && a.end.toDate().getTime() > now.getTime() && !isExpiredUnpaid(a, now);
}

/** Why a patient may not take one more booking. */
export type BookingLimitRefusal = 'too-many-with-specialist' | 'too-many-bookings';

/**
 * Whether a patient holding `active` bookings may book one more with `specialistUid`.
 * @param input - the patient's active bookings (see isActiveBooking), the specialist, the specialist's settings, and
 *   the platform cap (MAX_ACTIVE_BOOKINGS_PER_PATIENT unless a test says otherwise)
 * @returns null when they may, or which limit they reached
 */
export function bookingLimitRefusal(input: {
  active: readonly { specialistUid: string }[];
  specialistUid: string;
  settings: BookingSettings;
  platformMax?: number;
}): BookingLimitRefusal | null {
  const withSpecialist = input.active.filter((a) => a.specialistUid === input.specialistUid).length;
  if (withSpecialist >= input.settings.maxActivePerPatient) return 'too-many-with-specialist';
  if (input.active.length >= (input.platformMax ?? MAX_ACTIVE_BOOKINGS_PER_PATIENT)) return 'too-many-bookings';
  return null;
}
