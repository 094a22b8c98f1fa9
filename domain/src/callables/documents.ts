/**
 * Patient documents: registerDocument (staff or a specialist of the clinic, after uploading the file to
 * clinics/{clinicId}/patients/{patientUid}/documents/{documentId}/{fileName}) and openDocument (anyone allowed to read
 * the metadata), which returns a short-lived URL and writes 'document.read' to the audit log.
 */
import { z } from 'zod';
import { id, shortText } from '../model/common';
import { DOCUMENT_TYPES, fileName } from '../model/patient-document';
import { isoDateTime } from './common';

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

export const openDocumentRequestSchema = z.strictObject({ clinicId: id, patientUid: id, documentId: id });
export type OpenDocumentRequest = z.infer<typeof openDocumentRequestSchema>;

export const openDocumentResponseSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(4096),
  expiresAt: isoDateTime,
});
export type OpenDocumentResponse = z.infer<typeof openDocumentResponseSchema>;
