/**
 * appointments/{appointmentId}/notes/{noteId}: the specialist's clinical notes. Written and read only by the
 * appointment's specialist (rules: one get() of the appointment); a trigger appends 'note.write' to the audit log.
 * Patients, staff and admins never read them through the app.
 */
import { z } from 'zod';
import { id, longText, timestampSchema } from './common';

export const CLINICAL_NOTE_MAX_CHARS = 20_000;

export const clinicalNoteSchema = z.strictObject({
  authorUid: id,
  text: longText(CLINICAL_NOTE_MAX_CHARS),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type ClinicalNote = z.infer<typeof clinicalNoteSchema>;
