/**
 * The notification service against our engine (in this process, any free port) through the admin SDK, with senders
 * that record what they are asked to send: each (notification, recipient, channel) is sent once however often and
 * however concurrently it is delivered; a failure that may pass is retried with backoff and recorded; a permanent one
 * is not retried; a channel without settings is recorded "not configured"; texts follow the recipient's locale and
 * carry no reason; the patient's confirmation carries an .ics with the appointment's instant.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { deliveryId, deliveryPaths, paths, serviceNotificationId } from '@telesalud/domain';
import { startEmulator, type RunningEmulator } from '../../../emulator/src/server';
import { SendError } from '../integrations/send-error';
import type { OutgoingMail } from '../integrations/mail';
import type { Channels } from './channels';
import { deliver, type DeliverDeps, type LogicalNotification } from './deliver';
import { handleAppointmentCreated } from './on-appointment-created';
import { handleNotificationCreated } from './on-notification-created';

const REASON = 'Dolor torácico y palpitaciones';
let emu: RunningEmulator;
let app: App;
let db: Firestore;
let clock = new Date('2026-03-20T12:00:00Z');
let slept: number[] = [];
let mails: OutgoingMail[] = [];
let texts: { to: string; body: string }[] = [];
/** Failures the next sends throw, in order. */
let failures: SendError[] = [];

function channels(over: Partial<Channels> = {}): Channels {
  return {
    email: {
      sender: {
        send: async (m) => {
          const f = failures.shift();
          if (f) throw f;
          mails.push(m);
          // Let other deliveries interleave while this one is "on the wire".
          await new Promise((r) => setTimeout(r, 5));
          return { providerId: `<m${mails.length}@test>` };
        },
      },
    },
    sms: {
      sender: {
        send: async (s) => {
          texts.push(s);
          await new Promise((r) => setTimeout(r, 5));
          return { providerId: `SM${String(texts.length).padStart(32, '0')}` };
        },
      },
    },
    push: { notConfigured: ['FCM'] },
    appUrl: 'https://app.telesalud.test',
    ...over,
  };
}

function deps(over: Partial<Channels> = {}): DeliverDeps {
  return {
    db,
    channels: channels(over),
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock = new Date(clock.getTime() + ms);
    },
  };
}

let seq = 0;
function notification(over: Partial<LogicalNotification> = {}): LogicalNotification {
  seq += 1;
  return { sourceId: `users/esp-1/notifications/n${seq}`, recipientUid: 'esp-1', kind: 'appointment_confirmed', link: '/citas/apt-1', appointmentId: 'apt-1', inApp: 'exists', ...over };
}

async function marker(n: LogicalNotification, channel: 'email' | 'sms') {
  return (await db.doc(deliveryPaths.delivery(deliveryId(n.sourceId, n.recipientUid, channel))).get()).data();
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  process.env.FIRESTORE_EMULATOR_HOST = emu.address;
  app = initializeApp({ projectId: 'demo-deliver' }, 'deliver-test');
  db = getFirestore(app);
  const ts = (iso: string) => Timestamp.fromDate(new Date(iso));
  await db.doc(paths.user('esp-1')).set({ displayName: 'Pau', email: 'pau@example.test', phone: '+34 600 555 105', locale: 'en', timeZone: 'Europe/Madrid', requestedRole: 'specialist', createdAt: ts('2026-01-01T00:00:00Z') });
  await db.doc(paths.user('pac-1')).set({ displayName: 'Ana', email: 'ana@example.test', phone: '300 555 0101', locale: 'es', timeZone: 'America/Santiago', requestedRole: 'patient', createdAt: ts('2026-01-01T00:00:00Z') });
  await db.doc(paths.specialist('esp-1')).set({ displayName: 'Dr. Pau Ferrer' });
  await db.doc(paths.office('esp-1', 'principal')).set({ name: 'Consulta Ferrer', address: 'Calle de Alcalá 100', city: 'Madrid', timeZone: 'Europe/Madrid' });
  await db.doc(paths.appointment('apt-1')).set({
    patientUid: 'pac-1',
    specialistUid: 'esp-1',
    officeId: 'principal',
    modality: 'in_person',
    start: ts('2026-03-30T08:00:00Z'),
    end: ts('2026-03-30T08:30:00Z'),
    timeZone: 'Europe/Madrid',
    reason: REASON,
    contactPhone: '+57 300 555 0101',
    status: 'confirmed',
  });
});

afterAll(async () => {
  if (app) await deleteApp(app);
  await emu?.close();
});

beforeEach(() => {
  mails = [];
  texts = [];
  slept = [];
  failures = [];
});

describe('deliver', () => {
  it('sends e-mail and SMS once in the recipient’s language, without the reason, and records both as sent', async () => {
    const n = notification();
    const out = await deliver(n, deps());
    expect(out).toEqual({ in_app: 'exists', email: 'sent', sms: 'sent', push: 'not_configured' });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'pau@example.test', subject: 'New confirmed appointment' });
    expect(texts).toEqual([{ to: '+34600555105', body: expect.stringContaining('New confirmed appointment') }]);
    for (const m of mails) expect(`${m.subject}${m.text}${m.html}`).not.toContain(REASON);
    expect(texts[0]?.body).not.toContain(REASON);
    expect(await marker(n, 'email')).toMatchObject({ status: 'sent', attempts: 1, providerId: '<m1@test>', channel: 'email', kind: 'appointment_confirmed' });
    expect(await marker(n, 'sms')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('sends nothing more when the same notification is delivered again, in sequence or five at once', async () => {
    const n = notification();
    await deliver(n, deps());
    expect(await deliver(n, deps())).toMatchObject({ email: 'duplicate', sms: 'duplicate' });
    const m = notification();
    const all = await Promise.all(Array.from({ length: 5 }, () => deliver(m, deps())));
    expect(mails).toHaveLength(2);
    expect(texts).toHaveLength(2);
    expect(all.filter((o) => o.email === 'sent')).toHaveLength(1);
    expect(all.filter((o) => o.sms === 'sent')).toHaveLength(1);
  });

  it('retries a failure that may pass with backoff, recording each attempt, and sends once it passes', async () => {
    failures = [new SendError('ECONNECTION', false), new SendError('smtp-421', false)];
    const n = notification();
    expect((await deliver(n, deps())).email).toBe('sent');
    expect(slept).toEqual([1000, 4000]);
    expect(mails).toHaveLength(1);
    expect(await marker(n, 'email')).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('gives up after the last attempt, and a redelivery does not try again', async () => {
    failures = Array.from({ length: 4 }, () => new SendError('ETIMEDOUT', false));
    const n = notification();
    expect((await deliver(n, deps())).email).toBe('failed');
    expect(slept).toEqual([1000, 4000, 16_000]);
    expect(await marker(n, 'email')).toMatchObject({ status: 'failed', attempts: 4, lastError: { code: 'ETIMEDOUT', permanent: false } });
    expect((await deliver(n, deps())).email).toBe('gave_up');
    expect(mails).toHaveLength(0);
  });

  it('does not retry a permanent refusal', async () => {
    failures = [new SendError('smtp-550', true)];
    const n = notification();
    expect((await deliver(n, deps())).email).toBe('failed');
    expect(slept).toEqual([]);
    expect(await marker(n, 'email')).toMatchObject({ status: 'failed', attempts: 1, lastError: { code: 'smtp-550', permanent: true } });
  });

  it('leaves a failed send alone until its next attempt is due', async () => {
    const n = notification();
    failures = [new SendError('ECONNECTION', false)];
    // A sleep that never comes back: the process "dies" while waiting, after recording its failure.
    let died: () => void = () => undefined;
    const dead = new Promise<void>((r) => (died = r));
    const stuck = { ...deps(), sleep: () => (died(), new Promise<void>(() => undefined)) };
    void deliver(n, stuck);
    await dead;
    expect((await deliver(n, deps())).email).toBe('backing_off');
    clock = new Date(clock.getTime() + 1000);
    expect((await deliver(n, deps())).email).toBe('sent');
    expect(mails).toHaveLength(1);
  });

  it('records an unconfigured channel and a phone without a country code, sending nothing on them', async () => {
    const n = notification({ sourceId: 'appointments/apt-1#test', recipientUid: 'pac-1' });
    const out = await deliver(n, deps({ email: { notConfigured: ['SMTP_URL'] } }));
    expect(out).toEqual({ in_app: 'exists', email: 'not_configured', sms: 'skipped', push: 'not_configured' });
    expect(mails).toHaveLength(0);
    expect(texts).toHaveLength(0);
    expect(await marker(n, 'email')).toMatchObject({ status: 'not_configured', note: 'smtp' });
    expect(await marker(n, 'sms')).toMatchObject({ status: 'skipped', note: 'phone-not-e164' });
  });

  it('writes the in-app notification itself when asked, once, under an id the trigger skips', async () => {
    const n = notification({ inApp: 'write', sourceId: 'reminders/apt-1/1440m' });
    expect((await deliver(n, deps())).in_app).toBe('sent');
    expect((await deliver(n, deps())).in_app).toBe('duplicate');
    const id = serviceNotificationId(n.sourceId);
    const doc = await db.doc(paths.notification('esp-1', id)).get();
    expect(doc.data()).toMatchObject({ kind: 'appointment_confirmed', title: 'New confirmed appointment', link: '/citas/apt-1', channels: ['in_app'] });
    expect(await handleNotificationCreated({ uid: 'esp-1', notificationId: id, data: doc.data(), eventId: 'e1' }, deps())).toBeNull();
  });
});

describe('the triggers', () => {
  it('a new in-app notification goes out once per notification, whatever its event ids', async () => {
    const data = { kind: 'appointment_cancelled', title: 'Cita cancelada', body: 'x', link: '/citas/apt-1', createdAt: Timestamp.fromDate(clock), channels: ['in_app'] };
    const first = await handleNotificationCreated({ uid: 'esp-1', notificationId: 'AbCdEfGhIjKlMnOpQrSt', data, eventId: 'e1' }, deps());
    const again = await handleNotificationCreated({ uid: 'esp-1', notificationId: 'AbCdEfGhIjKlMnOpQrSt', data, eventId: 'e2' }, deps());
    expect(first).toMatchObject({ email: 'sent', sms: 'sent' });
    expect(again).toMatchObject({ email: 'duplicate', sms: 'duplicate' });
    expect(mails.map((m) => m.subject)).toEqual(['Appointment cancelled']);
  });

  it('a new confirmed appointment sends the patient a Spanish confirmation with an .ics at the appointment’s instant', async () => {
    const data = (await db.doc(paths.appointment('apt-1')).get()).data();
    const out = await handleAppointmentCreated({ appointmentId: 'apt-1', data, eventId: 'e1' }, deps());
    expect(out).toMatchObject({ in_app: 'none', email: 'sent', sms: 'skipped' });
    expect(mails[0]?.subject).toBe('Tu cita está confirmada');
    expect(mails[0]?.text).toContain('con Dr. Pau Ferrer');
    expect(mails[0]?.text).toContain('10:00, hora de la consulta (Europe/Madrid)');
    expect(mails[0]?.text).toContain('05:00, en tu zona horaria (America/Santiago)');
    const ics = mails[0]?.attachments?.[0];
    expect(ics).toMatchObject({ filename: 'cita.ics', contentType: expect.stringContaining('text/calendar') });
    expect(ics?.content).toContain('DTSTART:20260330T080000Z');
    expect(ics?.content).toContain('DTEND:20260330T083000Z');
    expect(ics?.content).not.toContain('torácico');
    expect(await handleAppointmentCreated({ appointmentId: 'apt-1', data, eventId: 'e2' }, deps())).toMatchObject({ email: 'duplicate' });
    expect(await handleAppointmentCreated({ appointmentId: 'apt-1', data: { ...data, status: 'proposed' }, eventId: 'e3' }, deps())).toBeNull();
  });
});
