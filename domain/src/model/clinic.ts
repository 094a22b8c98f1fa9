/** clinics/{clinicId} and clinics/{clinicId}/members/{uid}. */
import { z } from 'zod';
import { money, shortText, timeZone } from './common';
import { grantFields, grantRevocationConsistent } from './grants';

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

export const CLINIC_MEMBER_ROLES = ['staff', 'specialist'] as const;
export type ClinicMemberRole = (typeof CLINIC_MEMBER_ROLES)[number];

/**
 * clinics/{clinicId}/members/{uid}: a server-written grant that rules check (`isActiveGrant`). The grant fields are
 * optional only because documents written before they existed (the demo seed) lack them; such a document grants
 * nothing, and every server write sets all three.
 */
export const clinicMemberSchema = z
  .strictObject({
    role: z.enum(CLINIC_MEMBER_ROLES),
    displayName: shortText(120),
    active: grantFields.active.optional(),
    grantedAt: grantFields.grantedAt.optional(),
    grantedBy: grantFields.grantedBy.optional(),
    revokedAt: grantFields.revokedAt,
  })
  .refine(grantRevocationConsistent, { message: 'A revoked grant is inactive', path: ['revokedAt'] });
export type ClinicMember = z.infer<typeof clinicMemberSchema>;
