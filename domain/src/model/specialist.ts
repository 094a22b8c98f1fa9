/** specialists/{uid} (public profile), its offices and reviews. Ratings are server-computed. */
import { z } from 'zod';
import { SPECIALTY_CODES } from './specialties';
import { bookingSettingsSchema } from '../scheduling/booking-policy';
import { hhmm, id, LOCALES, longText, MODALITIES, money, PAYMENT_POLICIES, shortText, timeZone, timestampSchema } from './common';

export const SPECIALIST_STATUSES = ['draft', 'pending_review', 'approved', 'suspended'] as const;

export const specialistSchema = z.strictObject({
  displayName: shortText(120),
  title: shortText(40),
  photoUrl: z.string().url().max(2048).optional(),
  bio: longText(2000),
  education: z.array(z.strictObject({ degree: shortText(160), institution: shortText(160), year: z.number().int().min(1950).max(2100) })).max(20),
  specialties: z.array(z.enum(SPECIALTY_CODES)).min(1).max(5),
  areasOfExpertise: z.array(shortText(80)).max(20),
  languages: z.array(z.enum(LOCALES)).min(1),
  clinicIds: z.array(id).max(10),
  status: z.enum(SPECIALIST_STATUSES),
  videoConsultMessage: longText(1000).optional(),
  paymentPolicy: z.enum(PAYMENT_POLICIES),
  acceptsVideo: z.boolean(),
  acceptsInPerson: z.boolean(),
  ratingAverage: z.number().min(0).max(5),
  ratingCount: z.number().int().nonnegative(),
  /** Cities of the offices, for search by area without reading subcollections. */
  cities: z.array(shortText(80)).max(10),
  /** The specialist's booking horizon, notice and per-patient limit; unset fields take DEFAULT_BOOKING_SETTINGS. */
  bookingSettings: bookingSettingsSchema.optional(),
});
export type Specialist = z.infer<typeof specialistSchema>;

/** A local wall-clock interval; end before start means it crosses midnight. */
export const timeInterval = z.strictObject({ start: hhmm, end: hhmm }).refine((i) => i.start !== i.end, 'Empty interval');
export type TimeInterval = z.infer<typeof timeInterval>;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const officeSchema = z.strictObject({
  name: shortText(120),
  address: shortText(200),
  city: shortText(80),
  country: z.string().regex(/^[A-Z]{2}$/),
  location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
  geohash: z.string().regex(/^[0-9b-hjkmnp-z]{1,12}$/),
  timeZone,
  modality: z.enum(MODALITIES),
  /** Weekly hours per weekday, in the office's local time; an interval may cross midnight. */
  weeklyHours: z.partialRecord(z.enum(WEEKDAYS), z.array(timeInterval).max(6)),
  breaks: z.array(timeInterval).max(6),
  slotMinutes: z.number().int().min(5).max(480),
  bufferMinutes: z.number().int().min(0).max(120),
  prices: z.array(z.strictObject({ siteId: id, price: money })).min(1).max(10),
});
export type Office = z.infer<typeof officeSchema>;

/**
 * specialists/{uid}/reviews/{reviewId}: the public review. It names the author by initials only and carries no uid or
 * appointment id (the specialist can read their appointments, so either would unmask the author); the link lives in the
 * server-only reviewReceipts/{appointmentId} (see review.ts).
 */
export const reviewSchema = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: longText(2000, 0),
  authorInitials: z.string().regex(/^[A-ZÁÉÍÓÚÑ]\.( ?[A-ZÁÉÍÓÚÑ]\.)?$/),
  /** Set by submitReview; absent on reviews imported before it existed (the demo seed). */
  createdAt: timestampSchema.optional(),
});
export type Review = z.infer<typeof reviewSchema>;
