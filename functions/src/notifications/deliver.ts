/**
 * The notification service: one logical notification in, every channel of its recipient out. In-app is always
 * delivered (or already was, by the transaction that wrote it); e-mail when the recipient has an address and SMTP is
 * configured; SMS when the profile's phone is a full international number and Twilio is configured; push is "not
 * configured" until FCM is wired. Each (source, recipient, channel) is claimed before it is sent (claims.ts), a
 * failure is retried with backoff up to MAX_DELIVERY_ATTEMPTS, and one log line tells the outcome per channel.
 * Texts come from the domain's templates in the recipient's locale and zones, without the visit's reason.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import {
  appointmentFacts,
  LOCALES,
  MAX_DELIVERY_ATTEMPTS,
  notificationSchema,
  paths,
  renderNotification,
  retryDelayMs,
  serviceNotificationId,
  toE164,
  videoRoomLink,
  type AppointmentFacts,
  type RecipientRole,
  type Locale,
  type NotificationChannel,
  type NotificationKind,
  type RenderedNotification,
} from '@telesalud/domain';
import { SendError } from '../integrations/send-error';
import type { Channels } from './channels';
import { claimDelivery, markFailed, markSent, recordUnsent, type DeliveryKey } from './claims';
import { buildIcs } from './ics';
import { notificationLogs } from './logs';

export interface LogicalNotification {
  /** Unique per logical notification: the claim markers are keyed by it. */
  sourceId: string;
  /** The trigger's event id, for the log line only (dedupe is by sourceId, which a redelivery shares). */
  eventId?: string;
  recipientUid: string;
  kind: NotificationKind;
  /** The in-app path it opens. */
  link: string;
  appointmentId?: string;
  /**
   * 'exists': a transaction already wrote the in-app document (the trigger path); 'write': the service writes it,
   * with an id of its own that the trigger skips; 'none': no in-app notification for this one.
   */
  inApp: 'exists' | 'write' | 'none';
  /** Attach the appointment's calendar file to the e-mail. */
  attachIcs?: boolean;
}

/** What happened on each channel. */
export type Outcome = 'sent' | 'exists' | 'none' | 'duplicate' | 'in_flight' | 'backing_off' | 'failed' | 'gave_up' | 'not_configured' | 'skipped';

export interface DeliverDeps {
  db: Firestore;
  channels: Channels;
  now?: () => Date;
  /** Waits between attempts; tests pass one that advances their clock. */
  sleep?: (ms: number) => Promise<void>;
}

interface Recipient {
  email?: string;
  phone?: string;
  locale: Locale;
  timeZone?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

async function recipientOf(db: Firestore, uid: string): Promise<Recipient | null> {
  const snap = await db.doc(paths.user(uid)).get();
  if (!snap.exists) return null;
  const locale = snap.get('locale');
  const email = str(snap.get('email'));
  const phone = str(snap.get('phone'));
  const timeZone = str(snap.get('timeZone'));
  return {
    locale: LOCALES.find((l) => l === locale) ?? 'es',
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(timeZone ? { timeZone } : {}),
  };
}

interface AppointmentView {
  facts: AppointmentFacts;
  audience: RecipientRole;
}

async function appointmentOf(db: Firestore, appointmentId: string, recipientUid: string): Promise<AppointmentView | null> {
  const snap = await db.doc(paths.appointment(appointmentId)).get();
  const start: unknown = snap.get('start');
  const end: unknown = snap.get('end');
  const timeZone = str(snap.get('timeZone'));
  const modality = snap.get('modality');
  const specialistUid = str(snap.get('specialistUid'));
  const officeId = str(snap.get('officeId'));
  if (!snap.exists || !(start instanceof Timestamp) || !(end instanceof Timestamp) || !timeZone || !specialistUid || (modality !== 'video' && modality !== 'in_person')) return null;
  const [office, specialist] = await Promise.all([
    officeId ? db.doc(paths.office(specialistUid, officeId)).get() : null,
    db.doc(paths.specialist(specialistUid)).get(),
  ]);
  const name = str(office?.get('name'));
  const address = str(office?.get('address'));
  const city = str(office?.get('city'));
  const specialistName = str(specialist.get('displayName'));
  return {
    // Only what a message may say: appointmentFacts takes no reason, phone or notes.
    facts: appointmentFacts(
      { id: appointmentId, start: start.toDate(), end: end.toDate(), timeZone, modality },
      { ...(name && address && city ? { office: { name, address, city } } : {}), ...(specialistName ? { specialistName } : {}) },
    ),
    audience: specialistUid === recipientUid ? 'specialist' : 'patient',
  };
}

function icsFor(a: AppointmentFacts, rendered: RenderedNotification, appUrl: string | null, now: Date, locale: Locale) {
  const location = a.modality === 'video' ? videoRoomLink(appUrl, a.appointmentId) : a.place ? `${a.place.name}, ${a.place.address}, ${a.place.city}` : undefined;
  const content = buildIcs({
    uid: `${a.appointmentId}@telesalud`,
    start: a.start,
    end: a.end,
    stamp: now,
    summary: rendered.subject,
    ...(location ? { location } : {}),
    ...(appUrl ? { url: `${appUrl}/citas/${a.appointmentId}` } : {}),
  });
  return { filename: locale === 'es' ? 'cita.ics' : 'appointment.ics', content, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' };
}

/**
 * Claims, sends and records one channel, retrying a failure that may pass with backoff.
 * @param send - the provider call; resolves with the provider's id
 */
async function sendOnce(deps: DeliverDeps, key: DeliveryKey, send: () => Promise<{ providerId: string }>): Promise<Outcome> {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (;;) {
    const claim = await claimDelivery(deps.db, key, now());
    if (!claim.claimed) {
      return claim.reason === 'sent' ? 'duplicate' : claim.reason;
    }
    let result: { providerId: string };
    try {
      result = await send();
    } catch (e) {
      const error = e instanceof SendError ? e : new SendError('internal', false, e);
      const last = error.permanent || claim.attempt >= MAX_DELIVERY_ATTEMPTS;
      const delay = last ? null : retryDelayMs(claim.attempt);
      await markFailed(deps.db, key, error, delay === null ? null : new Date(now().getTime() + delay), now());
      notificationLogs.sendFailed(key.sourceId, key.channel, claim.attempt, error.code, error.permanent, delay);
      // Not a provider's answer: a bug of ours, recorded above and raised so the trigger reports it.
      if (!(e instanceof SendError)) throw e;
      if (delay === null) return 'failed';
      await sleep(delay);
      continue;
    }
    await markSent(deps.db, key, result.providerId, now());
    return 'sent';
  }
}

async function writeInApp(db: Firestore, n: LogicalNotification, rendered: RenderedNotification, now: Date): Promise<Outcome> {
  const doc = db.doc(paths.notification(n.recipientUid, serviceNotificationId(n.sourceId)));
  return db.runTransaction(async (tx) => {
    if ((await tx.get(doc)).exists) return 'duplicate';
    tx.create(
      doc,
      notificationSchema.parse({ kind: n.kind, title: rendered.subject, body: rendered.sms.slice(0, 500), link: n.link, createdAt: Timestamp.fromDate(now), channels: ['in_app'] }),
    );
    return 'sent';
  });
}

/**
 * Delivers one logical notification to every channel of its recipient, each at most once.
 * @param n - what, to whom, about which appointment
 * @param deps - Firestore, the configured channels and optionally a clock and a sleep
 * @returns the outcome per channel
 */
export async function deliver(n: LogicalNotification, deps: DeliverDeps): Promise<Record<NotificationChannel, Outcome>> {
  const now = deps.now ?? (() => new Date());
  const outcomes: Record<NotificationChannel, Outcome> = { in_app: n.inApp === 'exists' ? 'exists' : 'none', email: 'skipped', sms: 'skipped', push: 'skipped' };
  const recipient = await recipientOf(deps.db, n.recipientUid);
  if (!recipient) {
    notificationLogs.skipped(n.sourceId, 'no-recipient-profile');
    notificationLogs.delivered({ sourceId: n.sourceId, ...(n.eventId ? { eventId: n.eventId } : {}), kind: n.kind, recipientUid: n.recipientUid, outcomes });
    return outcomes;
  }
  const view = n.appointmentId ? await appointmentOf(deps.db, n.appointmentId, n.recipientUid) : null;
  const rendered = renderNotification({
    kind: n.kind,
    audience: view?.audience ?? 'patient',
    locale: recipient.locale,
    ...(recipient.timeZone ? { recipientTimeZone: recipient.timeZone } : {}),
    link: n.link,
    appUrl: deps.channels.appUrl,
    ...(view ? { appointment: view.facts } : {}),
  });
  const key = (channel: NotificationChannel): DeliveryKey => ({ sourceId: n.sourceId, recipientUid: n.recipientUid, channel, kind: n.kind });

  if (n.inApp === 'write') outcomes.in_app = await writeInApp(deps.db, n, rendered, now());

  const email = deps.channels.email;
  const address = recipient.email;
  if (!address) outcomes.email = await recordUnsent(deps.db, key('email'), 'skipped', 'no-address', now()).then(() => 'skipped' as const);
  else if ('notConfigured' in email) outcomes.email = await recordUnsent(deps.db, key('email'), 'not_configured', 'smtp', now()).then(() => 'not_configured' as const);
  else {
    const attachments = n.attachIcs && view ? [icsFor(view.facts, rendered, deps.channels.appUrl, now(), recipient.locale)] : undefined;
    outcomes.email = await sendOnce(deps, key('email'), () => email.sender.send({ to: address, subject: rendered.subject, text: rendered.text, html: rendered.html, ...(attachments ? { attachments } : {}) }));
  }

  const sms = deps.channels.sms;
  const phone = recipient.phone ? toE164(recipient.phone) : null;
  if (!phone) outcomes.sms = await recordUnsent(deps.db, key('sms'), 'skipped', recipient.phone ? 'phone-not-e164' : 'no-phone', now()).then(() => 'skipped' as const);
  else if ('notConfigured' in sms) outcomes.sms = await recordUnsent(deps.db, key('sms'), 'not_configured', 'twilio', now()).then(() => 'not_configured' as const);
  else outcomes.sms = await sendOnce(deps, key('sms'), () => sms.sender.send({ to: phone, body: rendered.sms }));

  // Push: Firebase Cloud Messaging is not wired yet; the in-app notification is what the app shows.
  outcomes.push = 'not_configured';

  notificationLogs.delivered({ sourceId: n.sourceId, ...(n.eventId ? { eventId: n.eventId } : {}), kind: n.kind, recipientUid: n.recipientUid, outcomes });
  return outcomes;
}
