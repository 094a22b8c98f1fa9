/**
 * Patient documents: registerDocument (staff or a specialist of the clinic, after uploading the file to
 * clinics/{clinicId}/patients/{patientUid}/documents/{documentId}/{fileName}) and openDocument (the clinic team, or the
 * portal patient for a visible document), which is not a callable but an HTTPS GET answering with the file's bytes,
 * audited as 'document.read': its query is openDocumentRequestSchema, its ID token the Authorization header.
 */
import { z } from 'zod';
import { id, shortText } from '../model/common';
import { DOCUMENT_TYPES, fileName } from '../model/patient-document';

export const registerDocumentRequestSchema = z
  .strictObject({
    clinicId: id,
    patientUid: id,
    documentId: id,
    fileName,
    type: z.enum(DOCUMENT_TYPES),
    title: shortText(200),
    appointmentId: id.optional(),
    visibleToPatient: z.boolean(),
    notifyPatient: z.boolean(),
  })
  .refine((d) => d.visibleToPatient || !d.notifyPatient, {
    message: 'Cannot notify about a hidden document',
    path: ['notifyPatient'],
  });
export type RegisterDocumentRequest = z.infer<typeof registerDocumentRequestSchema>;

export const registerDocumentResponseSchema = z.strictObject({ documentId: id, notified: z.boolean() });
export type RegisterDocumentResponse = z.infer<typeof registerDocumentResponseSchema>;

/** The query string of `GET …/openDocument`. */
export const openDocumentRequestSchema = z.strictObject({ clinicId: id, patientUid: id, documentId: id });
export type OpenDocumentRequest = z.infer<typeof openDocumentRequestSchema>;
