/**
 * clinics/{clinicId}/patients/{patientUid}/documents/{documentId}: metadata of a file the clinic keeps for a patient
 * (lab results, prescriptions, pre/post-visit instructions…). The file itself is in Cloud Storage at
 * clinics/{clinicId}/patients/{patientUid}/documents/{documentId}/{fileName}. Server-written by registerDocument after
 * the upload, so size and content type come from Storage rather than from the client, and every upload is audited.
 */
import { z } from 'zod';
import { id, shortText, storagePath, timestampSchema } from './common';

export const DOCUMENT_TYPES = [
  'lab_result',
  'prescription',
  'imaging',
  'report',
  'instructions',
  'consent_form',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The formats clinics upload; storage.rules allows the same list. */
export const DOCUMENT_CONTENT_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'application/dicom',
  'text/plain',
] as const;
export const DOCUMENT_MAX_BYTES = 25 * 1024 * 1024;

/** A file name as it appears at the end of the Storage path (no folders, no leading dot). */
export const fileName = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9_. -]{0,199}$/, 'Invalid file name');

export const patientDocumentSchema = z
  .strictObject({
    type: z.enum(DOCUMENT_TYPES),
    title: shortText(200),
    storagePath,
    contentType: z.enum(DOCUMENT_CONTENT_TYPES),
    size: z.number().int().positive().max(DOCUMENT_MAX_BYTES),
    /** The visit it belongs to, e.g. the instructions for that appointment. */
    appointmentId: id.optional(),
    uploadedBy: id,
    uploadedAt: timestampSchema,
    /** Whether the patient sees it in the portal (a lab result may wait for the specialist to explain it). */
    visibleToPatient: z.boolean(),
    /** Whether registering it notifies the patient; meaningless, and refused, when it is not visible. */
    notifyPatient: z.boolean(),
  })
  .refine((d) => d.visibleToPatient || !d.notifyPatient, {
    message: 'Cannot notify about a hidden document',
    path: ['notifyPatient'],
  });
export type PatientDocument = z.infer<typeof patientDocumentSchema>;
