/**
 * Who may manage a clinic's grants: a platform admin (the admin claim; admins hold no membership), or a user whose
 * staff membership document of that clinic is active, read inside the caller's transaction. The clinicIds and staff
 * claims are never enough: they live in the ID token for up to an hour after a revocation.
 */
import type { DocumentSnapshot, Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { clinicSchema, isActiveGrant, paths, type Clinic } from '@telesalud/domain';
import type { Caller } from '../callables/define-callable';
import { memberOf } from '../repositories/grants';

/** How the caller is entitled to manage the clinic. */
export type ManagerKind = 'admin' | 'staff';

/** The outcome of the authority check: how the caller may act, and the clinic as read in the transaction. */
export interface ClinicManager {
  kind: ManagerKind;
  clinic: Clinic;
}

/**
 * Checks the caller may manage the clinic's grants, and that the clinic exists. A non-admin learns nothing about a
 * clinic they are not staff of: a missing clinic and a foreign one both answer permission-denied.
 * @param tx - the transaction the grant is written in, so a revocation racing this call is seen
 * @param db - the admin Firestore
 * @param clinicId - the clinic acted on
 * @param caller - who calls
 */
export async function assertClinicManager(tx: Transaction, db: Firestore, clinicId: string, caller: Caller): Promise<ClinicManager> {
  const isAdmin = caller.roles.includes('admin');
  const [clinicSnap, ownSnap] = await tx.getAll(db.doc(paths.clinic(clinicId)), db.doc(paths.clinicMember(clinicId, caller.uid)));
  const own = ownSnap ? memberOf(ownSnap) : null;
  const isStaff = own !== null && own.role === 'staff' && isActiveGrant(own);
  if (!isAdmin && !isStaff) {
    throw new HttpsError('permission-denied', 'You are not staff of this clinic.', { reason: 'not-clinic-staff' });
  }
  return { kind: isAdmin ? 'admin' : 'staff', clinic: clinicOf(clinicSnap) };
}

function clinicOf(snap: DocumentSnapshot | undefined): Clinic {
  if (!snap?.exists) throw new HttpsError('not-found', 'There is no such clinic.', { reason: 'no-clinic' });
  const parsed = clinicSchema.safeParse(snap.data());
  // A stored clinic that breaks its schema is our bug, not the caller's: it surfaces as internal and in the logs.
  if (!parsed.success) throw new Error(`invalid clinic document ${snap.ref.path}`);
  return parsed.data;
}
