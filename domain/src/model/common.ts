/** Building blocks shared by every collection schema. */
import { z } from 'zod';

/** A Firestore Timestamp as both SDKs expose it, without depending on either. */
export interface TimestampLike {
  seconds: number;
  nanoseconds: number;
  toDate(): Date;
}

export const timestampSchema = z.custom<TimestampLike>(
  (v) => typeof v === 'object' && v !== null && typeof (v as TimestampLike).seconds === 'number' && typeof (v as TimestampLike).toDate === 'function',
  'Expected a timestamp',
);

export const ROLES = ['patient', 'specialist', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const id = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'Invalid id');
export const shortText = (max: number) => z.string().trim().min(1).max(max);

/** An IANA time zone the runtime knows (validated through Intl, so no zone list is hard-coded). */
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'Unknown time zone');

/** Money in minor units (cents) with its ISO 4217 currency. */
export const money = z.strictObject({ amount: z.number().int().nonnegative().max(100_000_000), currency: z.string().regex(/^[A-Z]{3}$/) });
export type Money = z.infer<typeof money>;

/** Local wall-clock time "HH:MM". */
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:MM');
