/**
 * The transaction runner of the booking callables. Many patients racing for one slot all read the same lock and
 * specialist documents; under wound-wait the loser of each round is aborted and retried, and with 20 racers the SDK's
 * default 5 attempts can run out before the loser sees the winner's lock. More attempts let every racer reach a
 * definite answer: "slot just taken" instead of a contention error.
 */
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { errorCode, GRPC } from '../errors';

const MAX_ATTEMPTS = 25;

/**
 * Runs a read-write transaction with the booking's retry budget. Running out of it is `aborted`, which the client may
 * retry with the same idempotency key.
 * @param db - the admin Firestore
 * @param fn - the transaction body: every read through `tx`, all reads before the first write, idempotent by its record
 */
export async function runBookingTransaction<T>(db: Firestore, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    return await db.runTransaction(fn, { maxAttempts: MAX_ATTEMPTS });
  } catch (e) {
    if (errorCode(e) === GRPC.ABORTED) {
      throw new HttpsError('aborted', 'Too many people are booking this doctor right now. Please try again.', { reason: 'contention' });
    }
    throw e;
  }
}
