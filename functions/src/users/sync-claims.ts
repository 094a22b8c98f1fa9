/**
 * Custom claims are derived, never edited by hand: `staff` and `clinicIds` come from the user's active membership
 * documents, `specialist` from an approved specialist profile, and `patient` / `admin` are kept as they are (patient is
 * granted at sign-up or with portal access, admin only out of band). After a change the app sees `claimsSyncedAt` move
 * and refreshes its ID token.
 */
import type { Auth } from 'firebase-admin/auth';
import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { customClaimsSchema, paths, ROLES, type CustomClaims, type Role } from '@telesalud/domain';
import { activeMembershipsOf, type ActiveMembership } from '../repositories/grants';
import { authUserOrNull } from '../repositories/users';
import { logs } from '../logs';
import { errorCode, GRPC } from '../errors';

/** What a claims change needs: the documents that derive claims, and Auth that holds them. */
export interface ClaimsDeps {
  db: Firestore;
  auth: Auth;
}

/** Roles a function grants elsewhere and no document derives, so a recomputation keeps them. */
const KEPT_ROLES: readonly Role[] = ['patient', 'admin'];

/**
 * The roles a claims object holds, ignoring anything that is not a known role.
 * @param claims - an Auth user's customClaims (or a decoded token)
 */
export function rolesIn(claims: Record<string, unknown> | undefined): Role[] {
  const roles = claims?.roles;
  return Array.isArray(roles) ? ROLES.filter((r) => roles.includes(r)) : [];
}

/**
 * The claims a user should hold. Pure. Null when the user holds no role at all (the claims are then cleared).
 * Throws when the result breaks customClaimsSchema (more than 10 clinics): callers refuse such a grant beforehand.
 * @param currentRoles - the roles the user holds now
 * @param memberships - the user's active memberships
 * @param specialistApproved - whether specialists/{uid} is approved
 * @param ensure - roles to add (portal access adds 'patient')
 */
export function deriveClaims(
  currentRoles: readonly Role[],
  memberships: readonly ActiveMembership[],
  specialistApproved: boolean,
  ensure: readonly Role[] = [],
): CustomClaims | null {
  const roles = new Set<Role>([...currentRoles.filter((r) => KEPT_ROLES.includes(r)), ...ensure]);
  if (memberships.some((m) => m.member.role === 'staff')) roles.add('staff');
  if (specialistApproved) roles.add('specialist');
  if (roles.size === 0) return null;
  const clinicIds = [...new Set(memberships.map((m) => m.clinicId))].sort();
  return customClaimsSchema.parse({ roles: ROLES.filter((r) => roles.has(r)), ...(clinicIds.length ? { clinicIds } : {}) });
}

/** Compares claims as sets: the order of roles or clinics carries no meaning. */
function sameClaims(current: Record<string, unknown> | undefined, desired: CustomClaims | null): boolean {
  const norm = (c: Record<string, unknown> | undefined) => {
    const roles = rolesIn(c);
    const ids = c?.clinicIds;
    const clinicIds = Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string').sort() : [];
    // Any other key (or a foreign role) makes the claims differ, so they get rewritten in our shape.
    const extra = Object.keys(c ?? {}).filter((k) => k !== 'roles' && k !== 'clinicIds').length;
    const foreign = Array.isArray(c?.roles) ? c.roles.length - roles.length : 0;
    return JSON.stringify({ roles, clinicIds, extra, foreign });
  };
  return norm(current) === norm(desired ?? undefined);
}

/**
 * Recomputes a user's claims from the documents and writes them when they differ, then marks users/{uid}.claimsSyncedAt.
 * Auth is not transactional, so two syncs may race; each one re-reads after its write and writes again if the
 * documents moved meanwhile, so the last writer always leaves claims that match the documents.
 * @param uid - the user
 * @param deps - admin Auth and Firestore
 * @param ensure - roles to add besides the derived ones
 * @returns the claims now set
 */
export async function syncClaims(uid: string, deps: ClaimsDeps, ensure: readonly Role[] = []): Promise<CustomClaims | null> {
  let changed = false;
  for (let attempt = 0; attempt < 4; attempt++) {
    const [user, memberships, specialist] = await Promise.all([
      authUserOrNull(deps.auth, uid),
      activeMembershipsOf(deps.db, uid),
      deps.db.doc(paths.specialist(uid)).get(),
    ]);
    // A deleted account has no claims to keep in step; its documents still grant nothing once revoked.
    if (!user) return null;
    const desired = deriveClaims(rolesIn(user.customClaims), memberships, specialist.get('status') === 'approved', ensure);
    if (sameClaims(user.customClaims, desired)) {
      if (changed) await markSynced(uid, deps.db);
      return desired;
    }
    await deps.auth.setCustomUserClaims(uid, desired);
    changed = true;
    logs.claimsSynced(uid, desired?.roles ?? [], desired?.clinicIds?.length ?? 0);
  }
  throw new Error(`claims of ${uid} did not settle`);
}

/** The app listens to its own profile and refreshes its ID token when this moves; users without a profile skip it. */
async function markSynced(uid: string, db: Firestore): Promise<void> {
  try {
    await db.doc(paths.user(uid)).update({ claimsSyncedAt: FieldValue.serverTimestamp() });
  } catch (e) {
    // NOT_FOUND: staff and admins created by hand or by the seed may have no users/{uid} profile.
    if (errorCode(e) !== GRPC.NOT_FOUND) throw e;
  }
}

/**
 * syncClaims for a callable whose grant is already committed: a failure here must not claim that nothing changed.
 * The grant document is the authority either way, and calling again (every grant callable is idempotent) retries it.
 * @param uid - the user whose claims follow the grant
 * @param deps - admin Auth and Firestore
 * @param requestId - the call, for the log
 * @param ensure - roles to add
 */
export async function syncClaimsAfterCommit(uid: string, deps: ClaimsDeps, requestId: string, ensure: readonly Role[] = []): Promise<void> {
  try {
    await syncClaims(uid, deps, ensure);
  } catch (e) {
    logs.claimsSyncFailed(uid, requestId, e);
    throw new HttpsError('unavailable', 'The change was saved, but updating the roles of that account did not finish. Please try again.');
  }
}
