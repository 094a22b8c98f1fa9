/**
 * revokePortalAccess: the clinic's staff (or an admin) end a patient's portal access. The grant document turns
 * inactive with revokedAt, and rules refuse the patient's very next read of the clinic's records, whatever their ID
 * token says. The patient keeps the 'patient' role: it is about using the platform, not this clinic.
 * Decisions: revoking a revoked grant changes nothing (a safe retry) and is still audited. The request's free-text
 * `reason` is validated but not stored: the grant schema has no field for it, and the audit log holds no user text.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  type CALLABLES,
  isActiveGrant,
  paths,
  portalGrantSchema,
  type RevokePortalAccessRequest,
  type RevokePortalAccessResponse,
} from '@telesalud/domain';
import { auditRoleOf, writeAudit } from '../audit';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { portalGrantOf } from '../repositories/grants';
import type { ClaimsDeps } from '../users/sync-claims';
import { assertClinicManager } from './authority';

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - the signed-in caller
 * @param deps - admin Firestore (Auth is not touched: roles do not change)
 */
export async function handleRevokePortalAccess(req: RevokePortalAccessRequest, caller: Caller, deps: Pick<ClaimsDeps, 'db'>): Promise<RevokePortalAccessResponse> {
  const { db } = deps;
  const ref = db.doc(paths.portalGrant(req.clinicId, req.patientUid));
  const { revokedAt, reason } = await db.runTransaction(async (tx) => {
    await assertClinicManager(tx, db, req.clinicId, caller);
    const current = portalGrantOf(await tx.get(ref));
    if (!current) throw new HttpsError('not-found', 'That patient has no portal access at this clinic.', { reason: 'no-grant' });
    // An inactive grant without revokedAt (never written by us, but the schema allows it) gets one now.
    const previous = isActiveGrant(current) ? undefined : current.revokedAt;
    const at = previous ?? Timestamp.now();
    if (!previous) tx.set(ref, portalGrantSchema.parse({ ...current, active: false, revokedAt: at }));
    const why = previous ? 'already-revoked' : 'revoked';
    await writeAudit(
      db,
      { who: caller.uid, role: auditRoleOf(caller.uid, caller.roles), action: 'portal.revoke', target: ref.path, outcome: 'allowed', requestId: caller.requestId, reason: why },
      tx,
    );
    return { revokedAt: at, reason: why };
  });
  logs.portalRevoked(req.clinicId, req.patientUid, reason, caller.requestId);
  return { clinicId: req.clinicId, patientUid: req.patientUid, active: false, revokedAt: revokedAt.toDate().toISOString() };
}

/**
 * The callable's spec for defineCallable.
 * @param deps - admin Firestore
 */
export function revokePortalAccessCallable(deps: Pick<ClaimsDeps, 'db'>): CallableSpec<typeof CALLABLES.revokePortalAccess.request, RevokePortalAccessResponse> {
  return callableSpec('revokePortalAccess', ['admin', 'staff'], (data, caller) => handleRevokePortalAccess(data, caller, deps));
}
