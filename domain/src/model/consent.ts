/**
 * Consent forms: clinics/{clinicId}/consentTemplates/{templateId} (the clinic's texts, versioned) and
 * clinics/{clinicId}/patients/{patientUid}/consents/{consentId} (one request to one patient, and its signature).
 * requestConsent copies the template's text into the consent with its SHA-256, so what was signed never changes with
 * the template; the patient signs through signConsent, which checks the hash the patient saw and audits the signature.
 */
import { z } from 'zod';
import { id, longText, sha256Hex, shortText, storagePath, timestampSchema } from './common';

export const CONSENT_TEXT_MAX_CHARS = 20_000;

/** Written by the clinic's staff under rules; the hash is computed by the server when it copies the text into a consent. */
export const consentTemplateSchema = z.strictObject({
  title: shortText(200),
  /** Incremented on every change of the text; consents name the version they copied. */
  version: z.number().int().positive().max(10_000),
  text: longText(CONSENT_TEXT_MAX_CHARS),
  active: z.boolean(),
  updatedAt: timestampSchema,
  updatedBy: id,
});
export type ConsentTemplate = z.infer<typeof consentTemplateSchema>;

export const CONSENT_STATUSES = ['pending', 'signed', 'revoked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const consentSchema = z
  .strictObject({
    templateId: id,
    templateVersion: z.number().int().positive().max(10_000),
    title: shortText(200),
    text: longText(CONSENT_TEXT_MAX_CHARS),
    textHash: sha256Hex,
    appointmentId: id.optional(),
    status: z.enum(CONSENT_STATUSES),
    requestedAt: timestampSchema,
    requestedBy: id,
    signedAt: timestampSchema.optional(),
    /** The drawn signature image, in Storage under the consent's folder. */
    signatureStoragePath: storagePath.optional(),
    /** Who signed, as typed: the patient, or the guardian for a dependant. */
    signedByName: shortText(120).optional(),
    revokedAt: timestampSchema.optional(),
  })
  .superRefine((c, ctx) => {
    const signed = c.signedAt !== undefined && c.signatureStoragePath !== undefined && c.signedByName !== undefined;
    const unsigned = c.signedAt === undefined && c.signatureStoragePath === undefined && c.signedByName === undefined;
    // A revoked consent may have been signed before (revoking consent) or not (withdrawn request).
    const ok =
      c.status === 'pending'
        ? unsigned && c.revokedAt === undefined
        : c.status === 'signed'
          ? signed && c.revokedAt === undefined
          : (signed || unsigned) && c.revokedAt !== undefined;
    if (!ok) ctx.addIssue({ code: 'custom', message: `Fields do not match status '${c.status}'`, path: ['status'] });
  });
export type Consent = z.infer<typeof consentSchema>;
