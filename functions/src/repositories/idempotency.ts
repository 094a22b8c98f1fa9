/**
 * idempotency/{uid}_{key}: the record that makes a retried callable answer what the first call answered. Read and
 * written inside the callable's own transaction, so "the work happened" and "the record exists" are one fact.
 */
import { createHash } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import type { z } from 'zod';
import { idempotencyRecordSchema, paths, type CallableName } from '@telesalud/domain';

/** How long a record is kept (a TTL policy on expiresAt deletes it): far longer than any client retries. */
const RETENTION_MS = 7 * 24 * 3_600_000;

/** JSON with object keys sorted at every depth, so the same payload always hashes the same. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The hash a record stores: the callable's name and its parsed payload, canonically serialised.
 * @param callable - the callable's name
 * @param payload - the parsed request (after the schema trimmed it)
 */
export function payloadHash(callable: CallableName, payload: unknown): string {
  return createHash('sha256').update(`${callable}\n${canonicalJson(payload)}`).digest('hex');
}

/** Where a callable's record lives and what it must match. */
export interface IdempotencyKey {
  uid: string;
  key: string;
  callable: CallableName;
  hash: string;
}

/**
 * Reads the record in the transaction. Returns the stored response when this exact call already ran, null when the
 * key is new; the same key with another payload (or for another callable) is refused with invalid-argument.
 * @param tx - the callable's transaction
 * @param db - the admin Firestore
 * @param k - caller, key, callable and payload hash
 * @param response - the callable's response schema: a stored answer that no longer parses is our bug
 */
export async function readIdempotent<S extends z.ZodType>(tx: Transaction, db: Firestore, k: IdempotencyKey, response: S): Promise<z.output<S> | null> {
  const snap = await tx.get(db.doc(paths.idempotency(k.uid, k.key)));
  if (!snap.exists) return null;
  const record = idempotencyRecordSchema.parse(snap.data());
  if (record.callable !== k.callable || record.payloadHash !== k.hash) {
    throw new HttpsError('invalid-argument', 'This idempotency key was already used for a different request.', { reason: 'idempotency-key-reused' });
  }
  return response.parse(record.response);
}

/**
 * Writes the record with the response, in the transaction that did the work.
 * @param tx - the callable's transaction
 * @param db - the admin Firestore
 * @param k - caller, key, callable and payload hash
 * @param response - the plain-JSON response sent to the client
 * @param now - the transaction's clock
 */
export function writeIdempotent(tx: Transaction, db: Firestore, k: IdempotencyKey, response: unknown, now: Timestamp): void {
  const record = idempotencyRecordSchema.parse({
    uid: k.uid,
    callable: k.callable,
    payloadHash: k.hash,
    response,
    createdAt: now,
    expiresAt: Timestamp.fromMillis(now.toMillis() + RETENTION_MS),
  });
  tx.create(db.doc(paths.idempotency(k.uid, k.key)), record);
}
