/**
 * notificationDeliveries/{deliveryId}: the "already sent" marker of one logical notification on one channel for one
 * recipient. The notification service claims it in a transaction before sending (status `sending` with a lease), so
 * a redelivered trigger, a re-run job or two instances at once send once; a failed send is recorded with its attempt
 * count and the time of the next try. Server-only: no client reads or writes it (the rules' deny-all covers it).
 */
import { z } from 'zod';
import { id, timestampSchema } from '../model/common';
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, type NotificationChannel } from '../model/notification';

export const DELIVERY_STATUSES = ['sending', 'sent', 'failed', 'not_configured', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Statuses after which the channel is done for this notification: nothing sends again. */
export const FINAL_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['sent', 'not_configured', 'skipped'];

/** Attempts before a failing send is given up (recorded as `failed` with no next attempt). */
export const MAX_DELIVERY_ATTEMPTS = 4;

export const deliverySchema = z.strictObject({
  /** What the notification is about, unique per logical notification ("users/u/notifications/n", "appointment:a:booked"). */
  sourceId: z.string().min(1).max(400),
  recipientUid: id,
  channel: z.enum(NOTIFICATION_CHANNELS),
  kind: z.enum(NOTIFICATION_KINDS),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().min(0).max(100),
  /** While `sending`: another sender leaves the claim alone until then. */
  leaseUntil: timestampSchema.optional(),
  /** While `failed` and attempts remain: the earliest time of the next try. */
  nextAttemptAt: timestampSchema.optional(),
  /** A code, never a message text: provider errors may quote the recipient or the body. */
  lastError: z.strictObject({ code: z.string().max(80), permanent: z.boolean() }).optional(),
  /** Why a channel was not used (no address, not configured), for the record. */
  note: z.string().max(80).optional(),
  /** The provider's id of what was sent (SMTP message id, Twilio SM sid). */
  providerId: z.string().max(300).optional(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  sentAt: timestampSchema.optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/** The marker's collection and path; one document per (source, recipient, channel). */
export const deliveryPaths = {
  collection: () => 'notificationDeliveries',
  delivery: (deliveryId: string) => `notificationDeliveries/${deliveryId}`,
} as const;

/**
 * The marker's id: each part URI-encoded, then joined with '|', which encodeURIComponent never leaves bare, so two
 * different triples never meet and no part's '/' ends up in a document id.
 * @param sourceId - what the notification is about
 * @param recipientUid - who receives it
 * @param channel - the channel
 */
export function deliveryId(sourceId: string, recipientUid: string, channel: NotificationChannel): string {
  return [sourceId, recipientUid, channel].map(encodeURIComponent).join('|');
}

/**
 * The id of an in-app notification written by the notification service itself (not by a transaction elsewhere).
 * The trigger on new notifications skips these: the service has already fanned them out. Firestore's automatic ids
 * are 20 letters and digits, so they never start with the prefix. Every byte outside [A-Za-z0-9-] becomes `_` and
 * two hex digits ('_' included), so two sources never share an id and the id stays a plain `id`.
 * @param sourceId - what the notification is about
 */
export function serviceNotificationId(sourceId: string): string {
  let out = 'dlv_';
  for (const byte of new TextEncoder().encode(sourceId)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * Whether an in-app notification was written by the notification service.
 * @param notificationId - its document id
 */
export function isServiceNotificationId(notificationId: string): boolean {
  return notificationId.startsWith('dlv_');
}

/**
 * The wait before attempt `attempt + 1`, after `attempt` failures: 1 s, 4 s, 16 s, … capped at 10 minutes.
 * @param attempt - failures so far (1 after the first)
 */
export function retryDelayMs(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  return Math.min(1000 * 4 ** (attempt - 1), 600_000);
}

/**
 * A profile phone ("+57 300 555 0101", "+34 (600) 555-105") in E.164, or null when it has no country code: an SMS
 * provider needs the full international number, and guessing a country would text a stranger.
 * @param phone - as stored on the profile
 */
export function toE164(phone: string): string | null {
  const compact = phone.replace(/[\s().-]/g, '');
  return /^\+[1-9][0-9]{6,14}$/.test(compact) ? compact : null;
}

/**
 * The appointment a notification's in-app link opens ("/citas/{id}"), or null.
 * @param link - the notification's link
 */
export function appointmentIdFromLink(link: string): string | null {
  const m = /^\/citas\/([A-Za-z0-9_-]{1,128})$/.exec(link);
  return m?.[1] ?? null;
}
