/**
 * In-app notifications written by the booking transactions. They name a time and link to the appointment; they
 * carry no reason, phone or patient name, since a notification list is shown on shared screens. Texts are Spanish,
 * the platform's default locale, until delivery renders them per user.
 */
import type { Firestore, Timestamp, Transaction } from 'firebase-admin/firestore';
import { notificationSchema, paths, utcToLocal, type NotificationKind } from '@telesalud/domain';

const TITLES: Partial<Record<NotificationKind, string>> = {
  appointment_confirmed: 'Nueva cita confirmada',
  payment_due: 'Nueva cita pendiente de pago',
  appointment_cancelled: 'Cita cancelada',
  appointment_rescheduled: 'Cita reprogramada',
};

/**
 * Queues one in-app notification in the transaction.
 * @param tx - the transaction that makes the change it announces
 * @param db - the admin Firestore
 * @param to - the recipient's uid
 * @param kind - a domain notification kind
 * @param appointmentId - linked from the notification
 * @param start - the appointment's start, shown in `timeZone`
 * @param timeZone - the office's zone
 * @param now - the transaction's clock
 */
export function notifyIn(tx: Transaction, db: Firestore, to: string, kind: NotificationKind, appointmentId: string, start: Date, timeZone: string, now: Timestamp): void {
  const local = utcToLocal(start, timeZone);
  const ref = db.collection(paths.notifications(to)).doc();
  tx.create(
    ref,
    notificationSchema.parse({
      kind,
      title: TITLES[kind] ?? 'Cita',
      body: `Cita del ${local.date} a las ${local.time} (${timeZone}).`,
      link: `/citas/${appointmentId}`,
      createdAt: now,
      channels: ['in_app'],
    }),
  );
}
