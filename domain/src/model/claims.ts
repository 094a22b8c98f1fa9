/** Firebase Auth custom claims: the roles a user holds. Set only by functions (admin SDK); clients only read them. */
import { z } from 'zod';
import { id, isUnique, ROLES } from './common';

/** Firebase refuses custom claims whose JSON exceeds 1000 bytes; failing here names the cause. */
const MAX_CLAIMS_BYTES = 1000;

/**
 * `{ roles, clinicIds? }` as passed to setCustomUserClaims. `clinicIds` is a hint for the UI and for query filters;
 * authority over a clinic is the active membership document, which can be revoked at once (claims live until the ID
 * token refreshes, up to an hour).
 */
export const customClaimsSchema = z
  .strictObject({
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).refine(isUnique, 'Duplicate role'),
    clinicIds: z.array(id).min(1).max(10).refine(isUnique, 'Duplicate clinic').optional(),
  })
  .refine((c) => new TextEncoder().encode(JSON.stringify(c)).length <= MAX_CLAIMS_BYTES, 'Claims over 1000 bytes');
export type CustomClaims = z.infer<typeof customClaimsSchema>;
