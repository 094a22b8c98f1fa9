/**
 * Revocable grants: clinic memberships and portal access. They are documents, not custom claims, because rules read a
 * document on every request (a revocation takes effect at once) while a claim lives in the ID token until it refreshes.
 */
import { z } from 'zod';
import { id, timestampSchema, type TimestampLike } from './common';

/** The fields every grant document carries. `grantedBy` is the uid of the staff or admin, or 'system'. */
export const grantFields = {
  active: z.boolean(),
  grantedAt: timestampSchema,
  grantedBy: id,
  revokedAt: timestampSchema.optional(),
};

/**
 * Whether a grant is active and not revoked. Fails closed: a document without `active: true` grants nothing.
 * @param grant - a membership or portal grant as read
 */
export function isActiveGrant(grant: { active?: boolean; revokedAt?: TimestampLike }): boolean {
  return grant.active === true && grant.revokedAt === undefined;
}

/**
 * A revoked grant says when; an active one must not.
 * @param grant - a grant as parsed
 */
export function grantRevocationConsistent(grant: { active?: boolean; revokedAt?: TimestampLike }): boolean {
  return grant.revokedAt === undefined || grant.active === false;
}

/** clinics/{clinicId}/portalGrants/{patientUid}: server-written; rules check it before a patient sees clinic records. */
export const portalGrantSchema = z
  .strictObject(grantFields)
  .refine(grantRevocationConsistent, { message: 'A revoked grant is inactive', path: ['revokedAt'] });
export type PortalGrant = z.infer<typeof portalGrantSchema>;
