/**
 * The exactly-once markers (domain: notificationDeliveries/{deliveryId}). A sender claims a marker in a transaction
 * before it sends: the claim either creates the marker or takes over a failed one whose next attempt is due, and it
 * holds a lease while the send is in flight. A second sender (a redelivered trigger, a job run twice at once) meets
 * the marker and sends nothing. The one window left is a crash between the provider accepting a message and the
 * `sent` mark: the lease then expires and the message may be sent again, which we prefer to losing it.
 */
import { FieldValue, Timestamp, type Firestore } from 'firebase-admin/firestore';
import {
  deliveryId,
  deliveryPaths,
  deliverySchema,
  MAX_DELIVERY_ATTEMPTS,
  type Delivery,
  type DeliveryStatus,
  type NotificationChannel,
  type NotificationKind,
} from '@telesalud/domain';

/** How long a claim keeps other senders away; far longer than any send's timeout. */
export const LEASE_MS = 120_000;

export interface DeliveryKey {
  sourceId: string;
  recipientUid: string;
  channel: NotificationChannel;
  kind: NotificationKind;
}

export type Claim = { claimed: true; attempt: number } | { claimed: false; reason: 'sent' | 'not_configured' | 'skipped' | 'in_flight' | 'backing_off' | 'gave_up' };

function ref(db: Firestore, key: DeliveryKey) {
  return db.doc(deliveryPaths.delivery(deliveryId(key.sourceId, key.recipientUid, key.channel)));
}

/**
 * Claims the right to send on one channel, or says why not.
 * @param db - the admin Firestore
 * @param key - source, recipient, channel and kind
 * @param now - the clock
 */
export async function claimDelivery(db: Firestore, key: DeliveryKey, now: Date): Promise<Claim> {
  const doc = ref(db, key);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(doc);
    const at = Timestamp.fromDate(now);
    const leaseUntil = Timestamp.fromMillis(now.getTime() + LEASE_MS);
    if (!snap.exists) {
      const fresh: Delivery = { ...key, status: 'sending', attempts: 1, leaseUntil, createdAt: at, updatedAt: at };
      tx.create(doc, deliverySchema.parse(fresh));
      return { claimed: true, attempt: 1 };
    }
    const d = deliverySchema.parse(snap.data());
    switch (d.status) {
      case 'sent':
      case 'not_configured':
      case 'skipped':
        return { claimed: false, reason: d.status };
      case 'sending':
        if (d.leaseUntil && d.leaseUntil.toDate().getTime() > now.getTime()) return { claimed: false, reason: 'in_flight' };
        // An expired lease: the sender died mid-send (see the header); the claim is taken over.
        break;
      case 'failed':
        if (d.lastError?.permanent === true || d.attempts >= MAX_DELIVERY_ATTEMPTS) return { claimed: false, reason: 'gave_up' };
        if (d.nextAttemptAt && d.nextAttemptAt.toDate().getTime() > now.getTime()) return { claimed: false, reason: 'backing_off' };
        break;
    }
    tx.update(doc, { status: 'sending', attempts: d.attempts + 1, leaseUntil, nextAttemptAt: FieldValue.delete(), updatedAt: at });
    return { claimed: true, attempt: d.attempts + 1 };
  });
}

/**
 * Marks a claimed send as done.
 * @param db - the admin Firestore
 * @param key - the claimed delivery
 * @param providerId - the provider's id of the message
 * @param now - the clock
 */
export async function markSent(db: Firestore, key: DeliveryKey, providerId: string, now: Date): Promise<void> {
  const at = Timestamp.fromDate(now);
  await ref(db, key).update({ status: 'sent', providerId: providerId.slice(0, 300), sentAt: at, updatedAt: at, leaseUntil: FieldValue.delete(), lastError: FieldValue.delete() });
}

/**
 * Records a failed attempt and, when attempts remain and the error may pass, when to try again.
 * @param db - the admin Firestore
 * @param key - the claimed delivery
 * @param error - a code and whether it is permanent
 * @param nextAttemptAt - null when no attempt follows
 * @param now - the clock
 */
export async function markFailed(db: Firestore, key: DeliveryKey, error: { code: string; permanent: boolean }, nextAttemptAt: Date | null, now: Date): Promise<void> {
  await ref(db, key).update({
    status: 'failed',
    lastError: { code: error.code.slice(0, 80), permanent: error.permanent },
    nextAttemptAt: nextAttemptAt ? Timestamp.fromDate(nextAttemptAt) : FieldValue.delete(),
    leaseUntil: FieldValue.delete(),
    updatedAt: Timestamp.fromDate(now),
  });
}

/**
 * Records that a channel was not used (no address, not configured), unless a marker already exists.
 * @param db - the admin Firestore
 * @param key - the delivery
 * @param status - not_configured or skipped
 * @param note - why, as a short code
 * @param now - the clock
 * @returns the status now on record (an existing marker's, if there was one)
 */
export async function recordUnsent(db: Firestore, key: DeliveryKey, status: 'not_configured' | 'skipped', note: string, now: Date): Promise<DeliveryStatus> {
  const doc = ref(db, key);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(doc);
    if (snap.exists) return deliverySchema.parse(snap.data()).status;
    const at = Timestamp.fromDate(now);
    tx.create(doc, deliverySchema.parse({ ...key, status, attempts: 0, note, createdAt: at, updatedAt: at } satisfies Delivery));
    return status;
  });
}
