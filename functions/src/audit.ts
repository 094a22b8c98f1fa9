/**
 * The audit log: who did what to patient data or was refused, append-only in auditLog/ (rules deny every client).
 * Entries hold ids and paths only, never content.
 */
import { randomUUID } from 'node:crypto';
import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { paths, type AuditAction } from '@telesalud/domain';
import { errorCode, GRPC } from './errors';

export type AuditRole = 'patient' | 'specialist' | 'staff' | 'admin' | 'system' | 'anonymous';

export interface AuditInput {
  who: string | null;
  role: AuditRole;
  action: AuditAction;
  target: string;
  outcome: 'allowed' | 'denied' | 'error';
  requestId: string;
  reason?: string;
}

/**
 * Appends one entry; `at` is the server's clock.
 * @param db - the admin Firestore
 * @param entry - what happened (validated by auditEntrySchema's shape)
 * @param tx - write inside this transaction or batch, so the entry exists exactly when the change does
 * @param entryId - a derived id makes the entry idempotent (triggers are delivered at least once)
 */
export async function writeAudit(
  db: Firestore,
  entry: AuditInput,
  tx?: FirebaseFirestore.Transaction | FirebaseFirestore.WriteBatch,
  entryId: string = randomUUID(),
): Promise<void> {
  const ref = db.doc(paths.auditEntry(entryId));
  const data = { ...entry, at: FieldValue.serverTimestamp() };
  if (tx) {
    tx.create(ref, data);
    return;
  }
  try {
    await ref.create(data);
  } catch (e) {
    // ALREADY_EXISTS: a redelivered event with a derived id was audited already.
    if (errorCode(e) !== GRPC.ALREADY_EXISTS) throw e;
  }
}

/**
 * Counts one refused call of a signed-out caller. Anyone can send those without limit, so they are not one entry
 * each: one entry per callable, reason and UTC minute holds `count`, raised atomically (an increment, no transaction to
 * contend on), with the latest call's request id and time. A flood therefore adds at most one entry per callable,
 * reason and minute.
 * @param db - the admin Firestore
 * @param callable - the callable's name
 * @param reason - the machine reason ('signed-out')
 * @param requestId - the refused call's server-made request id
 * @param now - the clock, for the minute window
 */
export async function countAnonymousRefusal(db: Firestore, callable: string, reason: string, requestId: string, now: Date = new Date()): Promise<void> {
  const minute = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const entry: AuditInput = { who: null, role: 'anonymous', action: 'callable.denied', target: `callables/${callable}`, outcome: 'denied', requestId, reason };
  await db
    .doc(paths.auditEntry(anonymousRefusalEntryId(callable, reason, minute)))
    .set({ ...entry, at: FieldValue.serverTimestamp(), count: FieldValue.increment(1) }, { merge: true });
}

/** The id of the counter entry of one callable, reason and minute ('YYYYMMDDHHmm', UTC). */
function anonymousRefusalEntryId(callable: string, reason: string, minute: string): string {
  return `anonymous-${callable}-${reason}-${minute}`;
}

/**
 * The role an actor acted in, for the log: the most privileged of the caller's roles.
 * @param roles - the caller's role claims, empty when signed out
 */
export function auditRoleOf(uid: string | null, roles: readonly string[]): AuditRole {
  if (!uid) return 'anonymous';
  for (const r of ['admin', 'staff', 'specialist', 'patient'] as const) if (roles.includes(r)) return r;
  return 'patient';
}
