/**
 * Notifications on the local stack: a booking through the real bookAppointment makes the doctor's e-mail arrive in
 * MailDev (read through its REST API) in the doctor's language and without the visit's reason, and an SMS reach the
 * Twilio-compatible server for the doctor's and the patient's seeded phones; the patient's confirmation carries an
 * .ics at the booked instant. The doctor's notification delivered again (the same CloudEvent posted twice more to
 * the Functions emulator, as a redelivering event source would) sends nothing more.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { paths, toE164 } from '../../domain/src';
import { PROJECT_ID } from '../../scripts/stack';
import { caughtMail, type CaughtMail } from '../../scripts/local-services/mail-catcher';
import { book, bookingOf, bookingReads, DAY_MS } from './support/booking';
import { useStack } from './support/use-stack';

const ports = { firestore: 19080, storage: 19199, auth: 19099, functions: 19001, hub: 19400, logging: 19500 };
const suite = useStack({ name: 'notifications', ports, schedules: false });
const { office: officeOf, slotsOf } = bookingReads(() => suite.adminDb);
const PATIENT = { uid: 'pac-ana-torres', email: 'paciente@demo.telesalud.test' };
// The demo specialist who is also a patient: the seed gives only her, of the specialists, a private profile (users/{uid}).
const DOCTOR = 'esp-valentina-rojas';
const REASON = 'Palpitaciones nocturnas desde hace tres semanas';

async function mailTo(address: string): Promise<CaughtMail[]> {
  return (await caughtMail(suite.stack.services.urls.mailInbox)).filter((m) => m.to.some((t) => t.address === address));
}

/** The Functions emulator's current key for a trigger ("<id>-<generation>"), learnt from its 404 as the dispatcher does. */
async function triggerKey(id: string): Promise<string> {
  const r = await fetch(`${suite.stack.urls.functions}/functions/projects/${PROJECT_ID}/triggers/${id}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const keys = (await r.text()).match(new RegExp(`${id}-\\d+`, 'g')) ?? [];
  const newest = keys.sort((a, b) => Number(b.slice(id.length + 1)) - Number(a.slice(id.length + 1)))[0];
  if (!newest) throw new Error(`no key for ${id}`);
  return newest;
}

beforeAll(async () => {
  // The doctor reads English; the patient keeps the seed's Spanish.
  await suite.adminDb.doc(paths.user(DOCTOR)).update({ locale: 'en' });
});

describe('booking notifications', () => {
  let appointmentId = '';
  let start = new Date(0);
  let doctorEmail = '';
  let doctorPhone = '';

  it('a booking sends the doctor an English e-mail without the reason, and SMS to the doctor and the patient', async () => {
    const office = await officeOf(DOCTOR, 'principal');
    const from = new Date(Date.now() + 9 * DAY_MS);
    const [slot] = await slotsOf(DOCTOR, 'principal', { from, to: new Date(from.getTime() + 7 * DAY_MS) });
    if (!slot) throw new Error('no slot');
    const patient = await suite.people.signIn(PATIENT.email);
    const r = await book(patient, bookingOf(DOCTOR, slot.start, { reason: REASON }));
    expect(r.status).toBe('confirmed');
    appointmentId = r.appointmentId;
    start = slot.start;
    await suite.stack.whenTriggersIdle();

    const doctor = (await suite.adminDb.doc(paths.user(DOCTOR)).get()).data() ?? {};
    doctorEmail = String(doctor.email);
    doctorPhone = toE164(String(doctor.phone)) ?? '';
    const mails = await mailTo(doctorEmail);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.subject).toBe('New confirmed appointment');
    expect(mail?.text).toContain('You have a new confirmed appointment.');
    expect(mail?.text).toContain(`/citas/${appointmentId}`);
    expect(mail?.text).toContain(`(${office.timeZone})`);
    for (const part of [mail?.subject, mail?.text, mail?.html]) expect(part).not.toContain('Palpitaciones');

    const sms = suite.stack.services.smsMessages();
    const toDoctor = sms.filter((m) => m.to === doctorPhone);
    const toPatient = sms.filter((m) => m.to === '+573005550101');
    expect(toDoctor).toHaveLength(1);
    expect(toDoctor[0]?.body).toContain('New confirmed appointment');
    expect(toPatient).toHaveLength(1);
    expect(toPatient[0]?.body).toContain('Tu cita está confirmada');
    for (const m of [...toDoctor, ...toPatient]) expect(m.body).not.toContain('Palpitaciones');
    // What the functions sent is what the SDK posted, as Twilio's standard listing shows it too.
    const listed = await fetch(`${suite.stack.services.urls.sms}`);
    expect(((await listed.json()) as { messages: { sid: string }[] }).messages.map((m) => m.sid)).toEqual(expect.arrayContaining([toDoctor[0]?.sid, toPatient[0]?.sid]));
  });

  it('the patient’s Spanish confirmation carries an .ics at the booked instant', async () => {
    const mails = await mailTo(PATIENT.email);
    expect(mails.map((m) => m.subject)).toEqual(['Tu cita está confirmada']);
    const mail = mails[0];
    const att = mail?.attachments?.find((a) => a.filename === 'cita.ics');
    if (!mail || !att) throw new Error('no .ics');
    const ics = await (await fetch(`${suite.stack.services.urls.mailInbox}/api/email/${mail.id}/attachment/${att.generatedFileName}`)).text();
    const stamp = start.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(ics).toContain(`DTSTART:${stamp}`);
    expect(ics).toContain(`UID:${appointmentId}@telesalud`);
    expect(ics).not.toContain('Palpitaciones');
  });

  it('the same notification delivered twice more sends nothing more', async () => {
    const notes = await suite.adminDb.collection(paths.notifications(DOCTOR)).where('link', '==', `/citas/${appointmentId}`).get();
    expect(notes.size).toBe(1);
    const note = notes.docs[0];
    if (!note) throw new Error('no notification');
    const documentPath = paths.notification(DOCTOR, note.id);
    const rest = await fetch(`${suite.stack.urls.firestore}/v1/projects/${PROJECT_ID}/databases/(default)/documents/${documentPath}`, { headers: { Authorization: 'Bearer owner' } });
    const value: unknown = await rest.json();
    const event = {
      specversion: '1.0',
      id: crypto.randomUUID(),
      source: `//firestore.googleapis.com/projects/${PROJECT_ID}/databases/(default)`,
      type: 'google.cloud.firestore.document.v1.created',
      time: new Date().toISOString(),
      subject: `documents/${documentPath}`,
      datacontenttype: 'application/json; charset=utf-8',
      project: PROJECT_ID,
      database: '(default)',
      namespace: '(default)',
      document: documentPath,
      data: { value },
    };
    const key = await triggerKey('us-central1-notificationsOnCreated');
    // The same event twice (a redelivery) at once, then once more.
    const post = () => fetch(`${suite.stack.urls.functions}/functions/projects/${PROJECT_ID}/triggers/${key}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
    const answers = await Promise.all([post(), post()]);
    answers.push(await post());
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await mailTo(doctorEmail)).toHaveLength(1);
    expect(suite.stack.services.smsMessages().filter((m) => m.to === doctorPhone)).toHaveLength(1);
    const marker = await suite.adminDb.collection('notificationDeliveries').where('sourceId', '==', documentPath).get();
    expect(marker.docs.map((d) => [d.get('channel'), d.get('status'), d.get('attempts')]).sort()).toEqual([
      ['email', 'sent', 1],
      ['sms', 'sent', 1],
    ]);
  });
});
