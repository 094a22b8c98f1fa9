/**
 * Reviews: the public specialists/{uid}/reviews/{reviewId} (reviewSchema, in specialist.ts) and the server-only
 * reviewReceipts/{appointmentId}, which enforces one review per attended appointment (created in the same transaction
 * as the review, so a second submit fails) and keeps who wrote it for moderation without publishing it.
 */
import { z } from 'zod';
import { id, timestampSchema } from './common';

export const reviewReceiptSchema = z.strictObject({
  specialistUid: id,
  patientUid: id,
  reviewId: id,
  createdAt: timestampSchema,
});
export type ReviewReceipt = z.infer<typeof reviewReceiptSchema>;

const INITIAL = /^[A-ZÁÉÍÓÚÑ]$/;

function initialOf(word: string): string | null {
  const first = word.charAt(0).toLocaleUpperCase('es');
  if (INITIAL.test(first)) return first;
  // Letters the public format does not list (Ü, Ç, À…) are shown without their mark.
  const bare = first.normalize('NFD').replace(/\p{M}/gu, '');
  return INITIAL.test(bare) ? bare : null;
}

/**
 * The initials a public review shows ("Ana María Torres" → "A. T."): first and last word, so the review says who wrote
 * it only to people who already know. Null when the name has no letter the format can show.
 * @param displayName - the author's profile name
 */
export function reviewInitials(displayName: string): string | null {
  const initials = displayName
    .split(/\s+/)
    .map(initialOf)
    .filter((x): x is string => x !== null);
  const first = initials[0];
  const last = initials.length > 1 ? initials[initials.length - 1] : undefined;
  if (first === undefined) return null;
  return last === undefined ? `${first}.` : `${first}. ${last}.`;
}
