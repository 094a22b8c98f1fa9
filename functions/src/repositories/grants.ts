/**
 * Admin-SDK access to the grant documents: clinic memberships (clinics/{c}/members/{uid}) and portal grants
 * (clinics/{c}/portalGrants/{patientUid}). Reads parse with the domain schemas and fail closed: a document that does
 * not parse grants nothing. Inside a transaction every read goes through `tx`, so a concurrent change retries it.
 */
import type { DocumentSnapshot, Firestore, Transaction } from 'firebase-admin/firestore';
import {
  clinicMemberSchema,
  InvalidDocumentError,
  isActiveGrant,
  parseDocument,
  paths,
  portalGrantSchema,
  type ClinicMember,
  type PortalGrant,
} from '@telesalud/domain';
import type { z } from 'zod';
import { logs } from '../logs';

/** An active membership of one user, with the clinic it belongs to. */
export interface ActiveMembership {
  clinicId: string;
  member: ClinicMember;
}

/** A grant document parsed with its schema; a missing or malformed one is null (logged), so it grants nothing. */
function grantOf<T>(snap: DocumentSnapshot, schema: z.ZodType<T>): T | null {
  if (!snap.exists) return null;
  try {
    return parseDocument(schema, snap);
  } catch (e) {
    if (!(e instanceof InvalidDocumentError)) throw e;
    logs.grantInvalid(e.path, e.fields.join(','));
    return null;
  }
}

/**
 * The membership a snapshot holds, or null when there is none or it does not parse (logged, and it grants nothing).
 * @param snap - a read of clinics/{c}/members/{uid}
 */
export function memberOf(snap: DocumentSnapshot): ClinicMember | null {
  return grantOf(snap, clinicMemberSchema);
}

/**
 * The portal grant a snapshot holds, or null when there is none or it does not parse (logged).
 * @param snap - a read of clinics/{c}/portalGrants/{patientUid}
 */
export function portalGrantOf(snap: DocumentSnapshot): PortalGrant | null {
  return grantOf(snap, portalGrantSchema);
}

/**
 * Every active membership of a user, across all clinics. Membership documents carry no uid field (the id is the uid),
 * so a collection-group query cannot select them by user; the clinics are listed (ids only) and one member document
 * per clinic is read. That costs one read per clinic, acceptable for a rare, human-driven change.
 * @param db - the admin Firestore
 * @param uid - whose memberships
 * @param tx - read inside this transaction (the clinic list and every member document join its read set)
 */
export async function activeMembershipsOf(db: Firestore, uid: string, tx?: Transaction): Promise<ActiveMembership[]> {
  const clinicsQuery = db.collection(paths.clinics()).select();
  const clinics = tx ? await tx.get(clinicsQuery) : await clinicsQuery.get();
  const clinicIds = clinics.docs.map((d) => d.id);
  if (clinicIds.length === 0) return [];
  const refs = clinicIds.map((c) => db.doc(paths.clinicMember(c, uid)));
  const snaps = tx ? await tx.getAll(...refs) : await db.getAll(...refs);
  return snaps.flatMap((snap, i) => {
    const member = memberOf(snap);
    const clinicId = clinicIds[i];
    return member && clinicId !== undefined && isActiveGrant(member) ? [{ clinicId, member }] : [];
  });
}
