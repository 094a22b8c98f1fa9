/**
 * users/{uid}/notifications/{notificationId}: the in-app inbox. Server-written (with the e-mail/SMS/push it sends);
 * the owner may only set `readAt`. Title and body are rendered in the user's locale when sent.
 */
import { z } from 'zod';
import { isUnique, longText, shortText, timestampSchema } from './common';

export const NOTIFICATION_KINDS = [
  'appointment_confirmed',
  'appointment_cancelled',
  'appointment_rescheduled',
  'appointment_reminder',
  'payment_due',
  'payment_failed',
  'proposal_received',
  'proposal_answered',
  'message_received',
  'document_shared',
  'consent_requested',
  'questionnaire_requested',
  'review_requested',
  'portal_access_granted',
  'specialist_status_changed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'sms', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const notificationSchema = z.strictObject({
  kind: z.enum(NOTIFICATION_KINDS),
  title: shortText(120),
  body: longText(500),
  /** A path inside the app ("/citas/abc"). Never an absolute URL: a notification must not become a phishing link. */
  link: z
    .string()
    .max(512)
    .regex(/^\/(?!\/)[A-Za-z0-9/_\-.?=&%]*$/, 'Expected an in-app path'),
  createdAt: timestampSchema,
  readAt: timestampSchema.optional(),
  /** Where it was delivered; the "already sent" marker for each channel. */
  channels: z
    .array(z.enum(NOTIFICATION_CHANNELS))
    .min(1)
    .max(NOTIFICATION_CHANNELS.length)
    .refine(isUnique, 'Duplicate channel'),
});
export type Notification = z.infer<typeof notificationSchema>;
