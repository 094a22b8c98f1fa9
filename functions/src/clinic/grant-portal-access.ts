/**
 * grantPortalAccess: the clinic's staff (or an admin) let a patient see the clinic's records about them, by writing
 * clinics/{clinicId}/portalGrants/{patientUid}; rules read that document on every request. The patient account must
 * exist, and gets the 'patient' role claim if it lacks it (a specialist or staff member can be a patient too).
 * Decisions: a clinic whose portal policy is 'disabled' grants nothing; granting an active grant again keeps its
 * original fields (a safe retry), and is still audited.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  type CALLABLES,
  isActiveGrant,
  paths,
  portalGrantSchema,
  type GrantPortalAccessRequest,
  type GrantPortalAccessResponse,
} from '@telesalud/domain';
import { auditRoleOf, writeAudit } from '../audit';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { portalGrantOf } from '../repositories/grants';
import { requireAuthUser } from '../repositories/users';
import { syncClaimsAfterCommit, type ClaimsDeps } from '../users/sync-claims';
import { assertClinicManager } from './authority';

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - the signed-in caller
 * @param deps - admin Firestore and Auth
 */
export async function handleGrantPortalAccess(req: GrantPortalAccessRequest, caller: Caller, deps: ClaimsDeps): Promise<GrantPortalAccessResponse> {
  const { db, auth } = deps;
  const ref = db.doc(paths.portalGrant(req.clinicId, req.patientUid));
  const { grantedAt, reason } = await db.runTransaction(async (tx) => {
    const { clinic } = await assertClinicManager(tx, db, req.clinicId, caller);
    if (clinic.policies.portalAccess === 'disabled') {
      throw new HttpsError('failed-precondition', 'This clinic has the patient portal turned off.', { reason: 'portal-disabled' });
    }
    await requireAuthUser(auth, req.patientUid);
    const current = portalGrantOf(await tx.get(ref));
    const already = current !== null && isActiveGrant(current);
    const grant = already ? current : portalGrantSchema.parse({ active: true, grantedAt: Timestamp.now(), grantedBy: caller.uid });
    // set() replaces the document, so a revocation's revokedAt does not survive a new grant.
    if (!already) tx.set(ref, grant);
    const why = already ? 'already-active' : 'granted';
    await writeAudit(
      db,
      { who: caller.uid, role: auditRoleOf(caller.uid, caller.roles), action: 'portal.grant', target: ref.path, outcome: 'allowed', requestId: caller.requestId, reason: why },
      tx,
    );
    return { grantedAt: grant.grantedAt, reason: why };
  });
  logs.portalGranted(req.clinicId, req.patientUid, reason, caller.requestId);
  await syncClaimsAfterCommit(req.patientUid, deps, caller.requestId, ['patient']);
  return { clinicId: req.clinicId, patientUid: req.patientUid, active: true, grantedAt: grantedAt.toDate().toISOString() };
}

/**
 * The callable's spec for defineCallable.
 * @param deps - admin Firestore and Auth
 */
export function grantPortalAccessCallable(deps: ClaimsDeps): CallableSpec<typeof CALLABLES.grantPortalAccess.request, GrantPortalAccessResponse> {
  return callableSpec('grantPortalAccess', ['admin', 'staff'], (data, caller) => handleGrantPortalAccess(data, caller, deps));
}
