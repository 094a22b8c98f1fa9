/** users/{uid}: the private profile. Roles live in custom claims set by functions; the profile only asks. */
import { z } from 'zod';
import { LOCALES, phone, shortText, timeZone, timestampSchema } from './common';

export const userProfileSchema = z.strictObject({
  displayName: shortText(120),
  email: z.string().email().max(254),
  phone: phone.optional(),
  locale: z.enum(LOCALES),
  timeZone: timeZone.optional(),
  requestedRole: z.enum(['patient', 'specialist']),
  createdAt: timestampSchema,
  /** Server-written: the outcome of the role request, and when claims were last synced. */
  roleStatus: z.enum(['active', 'pending_review']).optional(),
  claimsSyncedAt: timestampSchema.optional(),
});
export type UserProfile = z.infer<typeof userProfileSchema>;
