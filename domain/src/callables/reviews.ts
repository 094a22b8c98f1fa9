/**
 * submitReview: the patient of a completed appointment reviews it once. The server writes the public review (initials
 * only, from reviewInitials) and the private receipt in one transaction, and recomputes the rating.
 */
import { z } from 'zod';
import { id, longText } from '../model/common';
import { reviewSchema } from '../model/specialist';

export const submitReviewRequestSchema = z.strictObject({
  appointmentId: id,
  rating: reviewSchema.shape.rating,
  comment: longText(2000).optional(),
});
export type SubmitReviewRequest = z.infer<typeof submitReviewRequestSchema>;

export const submitReviewResponseSchema = z.strictObject({ reviewId: id });
export type SubmitReviewResponse = z.infer<typeof submitReviewResponseSchema>;
