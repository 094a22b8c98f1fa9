/**
 * auditLog/{entryId}: who touched patient data or was refused, append-only, written only by functions (never by a
 * client, not even an admin). Entries hold paths and ids, never content: a note's text or a file name stays out.
 */
import { z } from 'zod';
import { id, ROLES, shortText, timestampSchema } from './common';

export const AUDIT_ACTIONS = [
  'document.read',
  'document.upload',
  'document.delete',
  'note.write',
  'consent.request',
  'consent.sign',
  'consent.revoke',
  'answers.submit',
  'portal.grant',
  'portal.revoke',
  'membership.set',
  'specialist.review',
  'appointment.transition',
  'appointment.reschedule',
  'payment.refund',
  'callable.denied',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted: a role from the caller's claims, 'system' for the server itself, 'anonymous' for a signed-out caller. */
export const AUDIT_ROLES = [...ROLES, 'system', 'anonymous'] as const;
export type AuditRole = (typeof AUDIT_ROLES)[number];

export const auditEntrySchema = z
  .strictObject({
    who: id.nullable(),
    role: z.enum(AUDIT_ROLES),
    action: z.enum(AUDIT_ACTIONS),
    /** The document or Storage path acted on. */
    target: z
      .string()
      .min(1)
      .max(1024)
      // No spaces, controls, bidi or invisible characters: a path is read by people auditing.
      .regex(/^[^\s\p{Cc}\p{Cf}\p{Cs}]+$/u),
    at: timestampSchema,
    outcome: z.enum(['allowed', 'denied', 'error']),
    /** Ties the entry to the function's structured logs, where the details are. */
    requestId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
    /** A short machine reason for a denial or error ("not-a-member"); never user content. */
    reason: shortText(200).optional(),
    /**
     * Only on the counter entry of a signed-out caller's refusals (one per callable, reason and minute): how many
     * there were. Its `at` and `requestId` are the latest one's.
     */
    count: z.number().int().positive().optional(),
  })
  .refine((e) => (e.who === null) === (e.role === 'system' || e.role === 'anonymous'), {
    message: 'A uid exactly when a person acted',
    path: ['who'],
  });
export type AuditEntry = z.infer<typeof auditEntrySchema>;
