/**
 * setClinicMembership: grants (active: true) or revokes (active: false) clinics/{clinicId}/members/{uid}, then
 * recomputes the member's custom claims from all their memberships.
 *
 * Who: an admin, for any clinic; or active staff of that clinic (their membership document, read in the transaction).
 * Decisions:
 * - Staff never change their own membership, neither revoking it nor switching its role: a receptionist cannot lock
 *   themselves out by mistake, nor a clinic lose its last manager through its own staff. Another staff member or an
 *   admin does it. Admins may change anyone's, their own included.
 * - A specialist membership needs an approved specialist profile: clinics cannot make someone a practising specialist
 *   the platform has not reviewed (or has suspended).
 * - A revocation names the role being revoked; a mismatch is refused rather than revoking something else.
 * - Granting an active membership again keeps its original grant fields (only the name may change); revoking a revoked
 *   one changes nothing. Both are still audited, so retries are safe and visible.
 * - At most 10 active memberships per user: the clinicIds claim cannot hold more (customClaimsSchema).
 */
import type { UserRecord } from 'firebase-admin/auth';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  type CALLABLES,
  clinicMemberSchema,
  isActiveGrant,
  paths,
  type ClinicMember,
  type SetClinicMembershipRequest,
  type SetClinicMembershipResponse,
} from '@telesalud/domain';
import { auditRoleOf, writeAudit } from '../audit';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { activeMembershipsOf, memberOf } from '../repositories/grants';
import { requireAuthUser } from '../repositories/users';
import { syncClaimsAfterCommit, type ClaimsDeps } from '../users/sync-claims';
import { assertClinicManager } from './authority';

/** The most clinics one user may belong to: customClaimsSchema caps clinicIds at 10. */
export const MAX_ACTIVE_MEMBERSHIPS = 10;

/** Where a display name comes from when the request gives none. */
async function displayNameFor(tx: Transaction, db: Firestore, uid: string, user: UserRecord): Promise<string | undefined> {
  const profile = await tx.get(db.doc(paths.user(uid)));
  // Both sources are written by the member themselves (the profile under the rules, the Auth name through the Auth
  // API with their own token), so each is a candidate only when it passes the member schema's text rule: a name with
  // control or bidi characters, or one too long, is skipped instead of failing the grant with an internal error.
  for (const candidate of [profile.get('displayName') as unknown, user.displayName]) {
    const parsed = MEMBER_NAME.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

/** The member document's own rule for its display name (the domain's one-line text: normalised, no control chars). */
const MEMBER_NAME = clinicMemberSchema.shape.displayName;

interface Step {
  tx: Transaction;
  deps: ClaimsDeps;
  req: SetClinicMembershipRequest;
  caller: Caller;
  current: ClinicMember | null;
}

/** Revokes inside the transaction; returns the audit reason. */
function revoke({ tx, deps, req, current }: Step): string {
  if (!current) throw new HttpsError('not-found', 'That person is not a member of this clinic.', { reason: 'no-membership' });
  if (current.role !== req.role) {
    throw new HttpsError('failed-precondition', `That membership is of role ${current.role}, not ${req.role}.`, { reason: 'role-mismatch' });
  }
  if (!isActiveGrant(current)) return 'already-revoked';
  // grantedAt and grantedBy stay: they tell who had granted what is now revoked.
  tx.set(deps.db.doc(paths.clinicMember(req.clinicId, req.uid)), clinicMemberSchema.parse({ ...current, active: false, revokedAt: Timestamp.now() }));
  return `revoke-${req.role}`;
}

/** Grants inside the transaction (every read before the write); returns the audit reason. */
async function grant({ tx, deps, req, caller, current }: Step): Promise<string> {
  const { db, auth } = deps;
  const user = await requireAuthUser(auth, req.uid);
  if (req.role === 'specialist') {
    const specialist = await tx.get(db.doc(paths.specialist(req.uid)));
    if (specialist.get('status') !== 'approved') {
      throw new HttpsError('failed-precondition', 'Only an approved specialist can join a clinic as specialist.', { reason: 'specialist-not-approved' });
    }
  }
  const same = current !== null && isActiveGrant(current) && current.role === req.role ? current : null;
  if (!same) {
    const others = (await activeMembershipsOf(db, req.uid, tx)).filter((m) => m.clinicId !== req.clinicId);
    if (others.length >= MAX_ACTIVE_MEMBERSHIPS) {
      throw new HttpsError('failed-precondition', `A person can belong to at most ${MAX_ACTIVE_MEMBERSHIPS} clinics.`, { reason: 'too-many-clinics' });
    }
  }
  const displayName = req.displayName ?? current?.displayName ?? (await displayNameFor(tx, db, req.uid, user));
  if (!displayName)
    throw new HttpsError('failed-precondition', 'Give a display name: the account has none that can be used.', { reason: 'no-display-name' });
  const ref = db.doc(paths.clinicMember(req.clinicId, req.uid));
  if (same) {
    if (same.displayName === displayName) return 'already-active';
    tx.set(ref, clinicMemberSchema.parse({ ...same, displayName }));
    return 'rename';
  }
  // A new grant, or a role change: either way a fresh grant by this caller, and set() leaves no revokedAt behind.
  tx.set(ref, clinicMemberSchema.parse({ role: req.role, displayName, active: true, grantedAt: Timestamp.now(), grantedBy: caller.uid }));
  return `grant-${req.role}`;
}

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - the signed-in caller (roles from claims; authority from documents)
 * @param deps - admin Firestore and Auth
 */
export async function handleSetClinicMembership(req: SetClinicMembershipRequest, caller: Caller, deps: ClaimsDeps): Promise<SetClinicMembershipResponse> {
  const { db } = deps;
  const ref = db.doc(paths.clinicMember(req.clinicId, req.uid));
  const reason = await db.runTransaction(async (tx) => {
    const manager = await assertClinicManager(tx, db, req.clinicId, caller);
    if (manager.kind === 'staff' && req.uid === caller.uid) {
      throw new HttpsError('failed-precondition', 'You cannot change your own membership; ask another staff member or an admin.', {
        reason: 'own-membership',
      });
    }
    const step: Step = { tx, deps, req, caller, current: memberOf(await tx.get(ref)) };
    const why = req.active ? await grant(step) : revoke(step);
    await writeAudit(
      db,
      { who: caller.uid, role: auditRoleOf(caller.uid, caller.roles), action: 'membership.set', target: ref.path, outcome: 'allowed', requestId: caller.requestId, reason: why },
      tx,
    );
    return why;
  });
  logs.membershipSet(req.clinicId, req.uid, reason, caller.requestId);
  // Even an unchanged grant re-syncs: a retry after a failed sync must be able to repair the claims.
  await syncClaimsAfterCommit(req.uid, deps, caller.requestId);
  return { clinicId: req.clinicId, uid: req.uid, role: req.role, active: req.active };
}

/**
 * The callable's spec for defineCallable.
 * @param deps - admin Firestore and Auth
 */
export function setClinicMembershipCallable(deps: ClaimsDeps): CallableSpec<typeof CALLABLES.setClinicMembership.request, SetClinicMembershipResponse> {
  return callableSpec('setClinicMembership', ['admin', 'staff'], (data, caller) => handleSetClinicMembership(data, caller, deps));
}
