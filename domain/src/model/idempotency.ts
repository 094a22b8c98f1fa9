/**
 * idempotency/{uid}_{key}: server-only records of callables that must not run twice (booking, cancelling, paying).
 * A retry with the same key and payload returns the stored response; the same key with another payload is refused.
 */
import { z } from 'zod';
import { id, sha256Hex, timestampSchema } from './common';

const MAX_RESPONSE_CHARS = 10_000;

export const idempotencyRecordSchema = z.strictObject({
  uid: id,
  callable: z.string().regex(/^[a-zA-Z]{1,64}$/),
  payloadHash: sha256Hex,
  /** The callable's response, stored as sent (plain JSON, no Timestamps). */
  response: z.json().refine((r) => JSON.stringify(r).length <= MAX_RESPONSE_CHARS, 'Response too large'),
  createdAt: timestampSchema,
  /** After this the record may be deleted (a TTL policy on the field). */
  expiresAt: timestampSchema,
});
export type IdempotencyRecord = z.infer<typeof idempotencyRecordSchema>;
