/**
 * Who may touch a patient's clinic files, decided from the grant documents as storage.rules and firestore.rules decide
 * it: the clinic team is an active staff or specialist membership of that clinic, held together with the matching role
 * claim; the portal patient is the patient of the path, with an active portal grant of that clinic.
 */
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { isActiveGrant, paths, type Role } from '@telesalud/domain';
import { memberOf, portalGrantOf } from '../repositories/grants';

/** The caller as the file checks see them. */
export interface FileCaller {
  uid: string;
  roles: readonly Role[];
}

/** What the caller is to the patient's files. */
export interface FileAccess {
  team: boolean;
  portal: boolean;
}

/**
 * Reads the caller's membership of the clinic and, when they are the patient, their portal grant.
 * @param db - the admin Firestore
 * @param clinicId - the clinic of the files
 * @param patientUid - the patient of the files
 * @param caller - who asks
 * @param tx - read inside this transaction, so a revocation racing the change is seen
 */
export async function fileAccessOf(db: Firestore, clinicId: string, patientUid: string, caller: FileCaller, tx?: Transaction): Promise<FileAccess> {
  const refs = [db.doc(paths.clinicMember(clinicId, caller.uid)), db.doc(paths.portalGrant(clinicId, patientUid))];
  const [memberSnap, grantSnap] = tx ? await tx.getAll(...refs) : await db.getAll(...refs);
  const member = memberSnap ? memberOf(memberSnap) : null;
  const team = member !== null && isActiveGrant(member) && caller.roles.includes(member.role);
  const grant = caller.uid === patientUid && grantSnap ? portalGrantOf(grantSnap) : null;
  return { team, portal: grant !== null && isActiveGrant(grant) };
}
