/**
 * Consents: requestConsent (the clinic's staff or specialists) copies a template into a pending consent; signConsent
 * (the patient, with an active portal grant) signs it. Both are audited.
 */
import { z } from 'zod';
import { id, sha256Hex, shortText, storagePath } from '../model/common';
import { isoDateTime } from './common';

export const requestConsentRequestSchema = z.strictObject({
  clinicId: id,
  patientUid: id,
  templateId: id,
  appointmentId: id.optional(),
});
export type RequestConsentRequest = z.infer<typeof requestConsentRequestSchema>;

export const requestConsentResponseSchema = z.strictObject({ consentId: id, textHash: sha256Hex });
export type RequestConsentResponse = z.infer<typeof requestConsentResponseSchema>;

/**
 * The patient signs what they saw: `textHash` must equal the consent's, so a text changed between reading and signing
 * is refused. The signature image is uploaded first to the consent's Storage folder.
 */
export const signConsentRequestSchema = z.strictObject({
  clinicId: id,
  consentId: id,
  textHash: sha256Hex,
  signatureStoragePath: storagePath,
  signedByName: shortText(120),
});
export type SignConsentRequest = z.infer<typeof signConsentRequestSchema>;

export const signConsentResponseSchema = z.strictObject({
  consentId: id,
  status: z.literal('signed'),
  signedAt: isoDateTime,
});
export type SignConsentResponse = z.infer<typeof signConsentResponseSchema>;
