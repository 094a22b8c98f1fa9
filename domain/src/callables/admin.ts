/** approveSpecialist (admins): decides a specialist's review; a note is required unless approving. */
import { z } from 'zod';
import { id, longText } from '../model/common';
import { SPECIALIST_STATUSES } from '../model/specialist';

/** The statuses an admin may set: approve, send back to draft for changes, or suspend. */
const decision = z.enum(SPECIALIST_STATUSES).exclude(['pending_review']);

export const approveSpecialistRequestSchema = z
  .strictObject({ specialistUid: id, status: decision, note: longText(1000).optional() })
  .refine((r) => r.status === 'approved' || r.note !== undefined, {
    message: 'Say why, so the specialist can act on it',
    path: ['note'],
  });
export type ApproveSpecialistRequest = z.infer<typeof approveSpecialistRequestSchema>;

export const approveSpecialistResponseSchema = z.strictObject({ specialistUid: id, status: decision });
export type ApproveSpecialistResponse = z.infer<typeof approveSpecialistResponseSchema>;
