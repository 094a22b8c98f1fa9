/** Cloud Storage object paths, built and parsed in one place (storage.rules matches the same shapes). */
import { id } from './model/common';

const SPECIALIST_PHOTO = /^public\/specialists\/([^/]+)\/([^/]+)$/;
/** Every folder that holds patient files (storage.rules matches the same three). */
const PATIENT_FILE = /^(clinics\/[^/]+\/patients\/[^/]+\/(documents|consents)\/|conversations\/[^/]+\/attachments\/)/;

export const storagePaths = {
  /** A specialist's public photo: anyone reads; only that specialist writes (storage.rules). */
  specialistPhoto: (uid: string, fileName: string) => `public/specialists/${uid}/${fileName}`,
  /** A clinic file of a patient: the team uploads it, registerDocument records it, openDocument serves it. */
  patientDocumentFile: (clinicId: string, patientUid: string, documentId: string, fileName: string) =>
    `clinics/${clinicId}/patients/${patientUid}/documents/${documentId}/${fileName}`,
  /** The patient's signature image of a pending consent. */
  consentSignature: (clinicId: string, patientUid: string, consentId: string, fileName: string) =>
    `clinics/${clinicId}/patients/${patientUid}/consents/${consentId}/${fileName}`,
  /** A chat attachment, in the sender's own folder of the conversation. */
  chatAttachment: (conversationId: string, senderUid: string, fileName: string) =>
    `conversations/${conversationId}/attachments/${senderUid}/${fileName}`,
} as const;

/**
 * The specialist a public photo belongs to, or null when the object is not a specialist photo.
 * @param name - the object name, without a leading slash
 */
export function parseSpecialistPhotoPath(name: string): { uid: string; fileName: string } | null {
  const m = SPECIALIST_PHOTO.exec(name);
  if (!m?.[1] || !m[2] || !id.safeParse(m[1]).success) return null;
  return { uid: m[1], fileName: m[2] };
}

/**
 * True for an object under one of the patient-file folders (clinic documents, consent signatures, chat attachments):
 * such a file must never carry a download token, since a token is a permanent link that needs no sign-in.
 * @param name - the object name, without a leading slash
 */
export function isPatientFilePath(name: string): boolean {
  return PATIENT_FILE.test(name);
}
