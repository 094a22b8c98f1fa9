/**
 * users/{uid}/notifications/{id} created → the same notification by e-mail and SMS (and push, once it exists). The
 * transactions that write in-app notifications (bookings, documents) need not know about channels: this trigger
 * fans each one out. Triggers arrive at least once; the claim markers are keyed by the notification's path, which a
 * redelivered event shares, so a redelivery sends nothing again. Notifications the service wrote itself are skipped:
 * it has already fanned them out.
 */
import { appointmentIdFromLink, isServiceNotificationId, notificationSchema, paths, type NotificationChannel } from '@telesalud/domain';
import { deliver, type DeliverDeps, type Outcome } from './deliver';
import { notificationLogs } from './logs';

export interface NotificationCreated {
  uid: string;
  notificationId: string;
  data: unknown;
  eventId: string;
}

/**
 * Delivers a new in-app notification on the recipient's other channels.
 * @param e - the recipient, the notification's id and data, and the event id
 * @param deps - Firestore and the configured channels
 * @returns the outcome per channel, or null when there was nothing to deliver
 */
export async function handleNotificationCreated(e: NotificationCreated, deps: DeliverDeps): Promise<Record<NotificationChannel, Outcome> | null> {
  const sourceId = paths.notification(e.uid, e.notificationId);
  if (isServiceNotificationId(e.notificationId)) return null;
  const parsed = notificationSchema.safeParse(e.data);
  if (!parsed.success) {
    notificationLogs.skipped(sourceId, 'invalid-notification');
    return null;
  }
  const n = parsed.data;
  const appointmentId = appointmentIdFromLink(n.link);
  return deliver(
    { sourceId, eventId: e.eventId, recipientUid: e.uid, kind: n.kind, link: n.link, ...(appointmentId ? { appointmentId } : {}), inApp: 'exists' },
    deps,
  );
}
