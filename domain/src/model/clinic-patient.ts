/**
 * clinics/{clinicId}/patients/{patientUid}: the clinic's administrative record of a patient who has an account.
 * Clinical content is elsewhere: notes under appointments/{id}/notes, files under .../documents, consents and answers in
 * their own subcollections. Nothing here is shown to other clinics.
 */
import { z } from 'zod';
import { id, isoDate, phone, shortText, timestampSchema } from './common';

export const clinicPatientSchema = z.strictObject({
  displayName: shortText(120),
  contact: z
    .strictObject({ email: z.email().max(254).optional(), phone: phone.optional() })
    .refine((c) => c.email !== undefined || c.phone !== undefined, 'An email or a phone'),
  dateOfBirth: isoDate.optional(),
  /** The national identity document number (CC, DNI, RUT, CURP…) as printed, used by front desks to find people. */
  documentId: z
    .string()
    .regex(/^[A-Za-z0-9.-]{3,32}$/, 'Invalid identity document number')
    .optional(),
  createdAt: timestampSchema,
  createdBy: id,
  updatedAt: timestampSchema,
});
export type ClinicPatient = z.infer<typeof clinicPatientSchema>;
