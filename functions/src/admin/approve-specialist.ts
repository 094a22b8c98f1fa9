/**
 * approveSpecialist (admins): decides a specialist's review by setting specialists/{uid}.status, and with it the
 * 'specialist' role claim, which follows the profile (approved holds the role, every other status does not).
 *
 * Decisions:
 * - Allowed moves: pending_review to approved, draft (send back for changes) or suspended; approved to suspended;
 *   suspended to approved (reinstated) or draft; draft to suspended. Asking for the current status again changes
 *   nothing and answers as if done (a safe retry). Anything else is failed-precondition.
 * - Suspending revokes the specialist's active *specialist* memberships in the same transaction: membership documents
 *   are what rules read for clinic records, so leaving them active would let a suspended specialist keep reading
 *   patients' records. Reinstating does not bring them back; each clinic grants again (its own decision).
 * - The request's `note` is validated but not stored: no domain schema has a field for it yet.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  type CALLABLES,
  clinicMemberSchema,
  paths,
  SPECIALIST_STATUSES,
  type ApproveSpecialistRequest,
  type ApproveSpecialistResponse,
  type Specialist,
} from '@telesalud/domain';
import { auditRoleOf, writeAudit } from '../audit';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { activeMembershipsOf } from '../repositories/grants';
import { syncClaimsAfterCommit, type ClaimsDeps } from '../users/sync-claims';

type Status = Specialist['status'];
type Decision = ApproveSpecialistRequest['status'];

/** The review moves an admin may make, from each status. */
export const REVIEW_MOVES: Readonly<Record<Status, readonly Decision[]>> = {
  pending_review: ['approved', 'draft', 'suspended'],
  approved: ['suspended'],
  suspended: ['approved', 'draft'],
  draft: ['suspended'],
};

function isStatus(v: unknown): v is Status {
  return typeof v === 'string' && (SPECIALIST_STATUSES as readonly string[]).includes(v);
}

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - an admin (the role gate is defineCallable's)
 * @param deps - admin Firestore and Auth
 */
export async function handleApproveSpecialist(req: ApproveSpecialistRequest, caller: Caller, deps: ClaimsDeps): Promise<ApproveSpecialistResponse> {
  const { db } = deps;
  const ref = db.doc(paths.specialist(req.specialistUid));
  const auditRole = auditRoleOf(caller.uid, caller.roles);
  const { from, revoked } = await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) throw new HttpsError('not-found', 'There is no such specialist.', { reason: 'no-specialist' });
    const status: unknown = snap.get('status');
    if (!isStatus(status)) throw new Error(`invalid specialist status at ${ref.path}`);
    if (status !== req.status && !REVIEW_MOVES[status].includes(req.status)) {
      throw new HttpsError('failed-precondition', `A ${status} specialist cannot be set to ${req.status}.`, { reason: 'move-not-allowed' });
    }
    const memberships = req.status === 'suspended' && status !== 'suspended' ? await activeMembershipsOf(db, req.specialistUid, tx) : [];
    const profile = await tx.get(db.doc(paths.user(req.specialistUid)));
    const toRevoke = memberships.filter((m) => m.member.role === 'specialist');
    if (status !== req.status) {
      tx.update(ref, { status: req.status });
      // The profile's roleStatus says the role request was decided; only an approval decides it in favour.
      if (req.status === 'approved' && profile.exists && profile.get('roleStatus') === 'pending_review') {
        tx.update(profile.ref, { roleStatus: 'active' });
      }
    }
    const now = Timestamp.now();
    for (const m of toRevoke) {
      const memberRef = db.doc(paths.clinicMember(m.clinicId, req.specialistUid));
      tx.set(memberRef, clinicMemberSchema.parse({ ...m.member, active: false, revokedAt: now }));
      await writeAudit(
        db,
        { who: caller.uid, role: auditRole, action: 'membership.set', target: memberRef.path, outcome: 'allowed', requestId: caller.requestId, reason: 'specialist-suspended' },
        tx,
      );
    }
    await writeAudit(
      db,
      {
        who: caller.uid,
        role: auditRole,
        action: 'specialist.review',
        target: ref.path,
        outcome: 'allowed',
        requestId: caller.requestId,
        reason: status === req.status ? 'unchanged' : `${status}-to-${req.status}`,
      },
      tx,
    );
    return { from: status, revoked: toRevoke.length };
  });
  logs.specialistReviewed(req.specialistUid, from, req.status, revoked, caller.requestId);
  await syncClaimsAfterCommit(req.specialistUid, deps, caller.requestId);
  return { specialistUid: req.specialistUid, status: req.status };
}

/**
 * The callable's spec for defineCallable.
 * @param deps - admin Firestore and Auth
 */
export function approveSpecialistCallable(deps: ClaimsDeps): CallableSpec<typeof CALLABLES.approveSpecialist.request, ApproveSpecialistResponse> {
  return callableSpec('approveSpecialist', ['admin'], (data, caller) => handleApproveSpecialist(data, caller, deps));
}
