/**
 * Grants, written only through these callables: grantPortalAccess / revokePortalAccess (the clinic's staff) and
 * setClinicMembership (the clinic's staff for staff and specialists of their clinic; admins for any clinic).
 * Each call writes the grant document, syncs the `clinicIds` claim hint, and appends to the audit log.
 */
import { z } from 'zod';
import { id, longText, shortText } from '../model/common';
import { CLINIC_MEMBER_ROLES } from '../model/clinic';
import { isoDateTime } from './common';

export const grantPortalAccessRequestSchema = z.strictObject({ clinicId: id, patientUid: id });
export type GrantPortalAccessRequest = z.infer<typeof grantPortalAccessRequestSchema>;

export const grantPortalAccessResponseSchema = z.strictObject({
  clinicId: id,
  patientUid: id,
  active: z.literal(true),
  grantedAt: isoDateTime,
});
export type GrantPortalAccessResponse = z.infer<typeof grantPortalAccessResponseSchema>;

export const revokePortalAccessRequestSchema = z.strictObject({
  clinicId: id,
  patientUid: id,
  reason: longText(500).optional(),
});
export type RevokePortalAccessRequest = z.infer<typeof revokePortalAccessRequestSchema>;

export const revokePortalAccessResponseSchema = z.strictObject({
  clinicId: id,
  patientUid: id,
  active: z.literal(false),
  revokedAt: isoDateTime,
});
export type RevokePortalAccessResponse = z.infer<typeof revokePortalAccessResponseSchema>;

/** Grants (active: true) or revokes (active: false) a membership. The name defaults to the user's profile name. */
export const setClinicMembershipRequestSchema = z.strictObject({
  clinicId: id,
  uid: id,
  role: z.enum(CLINIC_MEMBER_ROLES),
  active: z.boolean(),
  displayName: shortText(120).optional(),
});
export type SetClinicMembershipRequest = z.infer<typeof setClinicMembershipRequestSchema>;

export const setClinicMembershipResponseSchema = z.strictObject({
  clinicId: id,
  uid: id,
  role: z.enum(CLINIC_MEMBER_ROLES),
  active: z.boolean(),
});
export type SetClinicMembershipResponse = z.infer<typeof setClinicMembershipResponseSchema>;
