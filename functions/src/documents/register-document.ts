/**
 * registerDocument: staff or a specialist of the clinic records a file they uploaded to
 * clinics/{c}/patients/{p}/documents/{documentId}/{fileName}. Size and content type are read from Storage, never taken
 * from the client. A file that still carries a download token (a public link) has it removed here, in the same step,
 * before the metadata exists: a registered file is served only by openDocument. The metadata, its audit entry and
 * the patient's notification commit together.
 * Decisions: the patient must have a record at the clinic; an appointment named must be that patient's; registering
 * the same documentId twice is refused (already-exists), since the file under it can no longer change.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  DOCUMENT_CONTENT_TYPES,
  DOCUMENT_MAX_BYTES,
  isActiveGrant,
  notificationSchema,
  paths,
  patientDocumentSchema,
  storagePaths,
  type CALLABLES,
  type RegisterDocumentRequest,
  type RegisterDocumentResponse,
} from '@telesalud/domain';
import { auditRoleOf, writeAudit } from '../audit';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { portalGrantOf } from '../repositories/grants';
import type { FileStore, StoredFile } from '../storage/files';
import { fileAccessOf } from './access';

export interface RegisterDocumentDeps {
  db: Firestore;
  files: FileStore;
}

const CONTENT_TYPES = new Set<string>(DOCUMENT_CONTENT_TYPES);

function notTeam(): HttpsError {
  return new HttpsError('permission-denied', 'You are not on the team of this clinic.', { reason: 'not-clinic-team' });
}

/** The stored file, with no download token left; refused when absent or outside what storage.rules allow. */
async function tokenFreeFile(files: FileStore, path: string): Promise<StoredFile> {
  let file = await files.stat(path);
  if (file && file.downloadTokens > 0) file = await files.removeDownloadTokens(path);
  if (!file) throw new HttpsError('failed-precondition', 'Upload the file before registering it.', { reason: 'no-file' });
  // Removal answered with the object's new metadata; a token still there would be a public link to a registered file.
  if (file.downloadTokens > 0) throw new Error('download tokens survived their removal');
  if (!CONTENT_TYPES.has(file.contentType)) {
    throw new HttpsError('failed-precondition', 'This type of file cannot be kept as a document.', { reason: 'file-type' });
  }
  if (file.size <= 0 || file.size > DOCUMENT_MAX_BYTES) {
    throw new HttpsError('failed-precondition', 'The file is empty or too large.', { reason: 'file-size' });
  }
  return file;
}

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - the signed-in caller
 * @param deps - admin Firestore and the bucket's files
 */
export async function handleRegisterDocument(req: RegisterDocumentRequest, caller: Caller, deps: RegisterDocumentDeps): Promise<RegisterDocumentResponse> {
  const { db, files } = deps;
  // Authority before Storage is looked at, so a stranger learns nothing about which files exist.
  if (!(await fileAccessOf(db, req.clinicId, req.patientUid, caller)).team) throw notTeam();
  const storagePath = storagePaths.patientDocumentFile(req.clinicId, req.patientUid, req.documentId, req.fileName);
  const file = await tokenFreeFile(files, storagePath);
  const docRef = db.doc(paths.patientDocument(req.clinicId, req.patientUid, req.documentId));
  const notified = await db.runTransaction(async (tx) => {
    // Again inside the transaction: a membership revoked meanwhile is seen.
    const access = await fileAccessOf(db, req.clinicId, req.patientUid, caller, tx);
    if (!access.team) throw notTeam();
    const reads = [docRef, db.doc(paths.clinicPatient(req.clinicId, req.patientUid)), db.doc(paths.portalGrant(req.clinicId, req.patientUid))];
    if (req.appointmentId !== undefined) reads.push(db.doc(paths.appointment(req.appointmentId)));
    const [existing, record, grant, appointment] = await tx.getAll(...reads);
    if (existing?.exists) throw new HttpsError('already-exists', 'This document is registered already.', { reason: 'already-registered' });
    if (!record?.exists) throw new HttpsError('not-found', 'The clinic has no record of this patient.', { reason: 'no-patient' });
    if (appointment && appointment.get('patientUid') !== req.patientUid) {
      throw new HttpsError('failed-precondition', 'The appointment is not one of this patient.', { reason: 'other-appointment' });
    }
    const now = Timestamp.now();
    tx.create(
      docRef,
      patientDocumentSchema.parse({
        type: req.type,
        title: req.title,
        storagePath,
        contentType: file.contentType,
        size: file.size,
        ...(req.appointmentId !== undefined ? { appointmentId: req.appointmentId } : {}),
        uploadedBy: caller.uid,
        uploadedAt: now,
        visibleToPatient: req.visibleToPatient,
        notifyPatient: req.notifyPatient,
      }),
    );
    await writeAudit(
      db,
      { who: caller.uid, role: auditRoleOf(caller.uid, caller.roles), action: 'document.upload', target: docRef.path, outcome: 'allowed', requestId: caller.requestId },
      tx,
    );
    // Only a patient who can open the portal is told; the text names no file, since inboxes show on shared screens.
    const portal = grant ? portalGrantOf(grant) : null;
    if (!req.notifyPatient || portal === null || !isActiveGrant(portal)) return false;
    tx.create(
      db.collection(paths.notifications(req.patientUid)).doc(),
      notificationSchema.parse({
        kind: 'document_shared',
        title: 'Nuevo documento de tu clínica',
        body: 'Tu clínica compartió un documento contigo. Ábrelo desde el portal.',
        link: '/portal',
        createdAt: now,
        channels: ['in_app'],
      }),
    );
    return true;
  });
  logs.documentRegistered(docRef.path, notified, caller.requestId);
  return { documentId: req.documentId, notified };
}

/**
 * The callable's spec for defineCallable.
 * @param deps - admin Firestore and the bucket's files
 */
export function registerDocumentCallable(deps: RegisterDocumentDeps): CallableSpec<(typeof CALLABLES)['registerDocument']['request'], RegisterDocumentResponse> {
  return callableSpec('registerDocument', ['staff', 'specialist'], (req, caller) => handleRegisterDocument(req, caller, deps));
}
