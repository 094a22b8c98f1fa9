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
 * The role an actor acted in, for the log: the most privileged of the caller's roles.
 * @param roles - the caller's role claims, empty when signed out
 */
export function auditRoleOf(uid: string | null, roles: readonly string[]): AuditRole {
  if (!uid) return 'anonymous';
  for (const r of ['admin', 'staff', 'specialist', 'patient'] as const) if (roles.includes(r)) return r;
  return 'patient';
}
