/** clinics/{clinicId} and clinics/{clinicId}/members/{uid}. */
import { z } from 'zod';
import { money, shortText, timeZone } from './common';

export const clinicSchema = z.strictObject({
  name: shortText(120),
  city: shortText(80),
  country: z.string().regex(/^[A-Z]{2}$/),
  timeZone,
  policies: z.strictObject({
    /** Patients may cancel or reschedule free of charge until this many hours before the visit. */
    cancellationWindowHours: z.number().int().min(0).max(720),
    lateCancellationFee: money,
    portalAccess: z.enum(['email_phone', 'id_phone', 'disabled']),
  }),
});
export type Clinic = z.infer<typeof clinicSchema>;

export const clinicMemberSchema = z.strictObject({
  role: z.enum(['staff', 'specialist']),
  displayName: shortText(120),
});
export type ClinicMember = z.infer<typeof clinicMemberSchema>;
