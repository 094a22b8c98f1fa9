/**
 * Booking integrity on the local stack (issue #12): what a hostile patient could do with bookAppointment and
 * rescheduleAppointment and must not. The visit's length and price are the server's (a request names a slot, never an
 * end); a patient holds a bounded number of active bookings; an unpaid prepaid booking past its deadline frees its
 * slot (at once for the next booking, and through the scheduled job); bookings respect the specialist's horizon and
 * notice; free text is normalised and refuses control, bidi and invisible characters. Everything through the web SDK,
 * as the app calls it; the admin SDK only arranges test data and reads the outcome.
 *
 * The stack runs without automatic schedules, so the expiry job runs exactly when a test asks (stack.runJob, the same
 * path as `npm run jobs`).
 */
import { describe, expect, it } from 'vitest';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { DEFAULT_BOOKING_SETTINGS, generateSlots, MAX_ACTIVE_BOOKINGS_PER_PATIENT, paths, priceFor } from '../../domain/src';
import { DEMO_PASSWORD } from '../../scripts/seed-data';
import { codeOf, type SignedInClient } from './support/clients';
import { book, bookingOf, bookingReads, DAY_MS, MINUTE_MS, nth, SITE, week, type Booked } from './support/booking';
import { useStack } from './support/use-stack';

const ports = { firestore: 16080, storage: 16199, auth: 16099, functions: 16001, hub: 16400, logging: 16500 };
const suite = useStack({ name: 'integrity', ports, schedules: false });
const { office, spacedSlotsOf, busyOf, bookingState } = bookingReads(() => suite.adminDb);
const JOB = 'bookingsExpireUnpaid';

/** Pay-at-visit specialists (confirmed at once) and prepaid ones (pending_payment until paid). */
const PAY_AT_VISIT = ['esp-lucia-quispe', 'esp-jorge-herrera', 'esp-mariana-lopez', 'esp-valentina-rojas'] as const;
const PREPAID = 'esp-andres-gomez';

let patients = 0;

/** A new patient account, signed in: each test counts its own bookings. */
async function newPatient(): Promise<SignedInClient> {
  const uid = `pac-integrity-${String(++patients).padStart(2, '0')}`;
  const email = `${uid}@demo.telesalud.test`;
  await suite.adminAuth.createUser({ uid, email, password: DEMO_PASSWORD });
  await suite.adminAuth.setCustomUserClaims(uid, { roles: ['patient'] });
  return suite.people.signIn(email);
}

/** The code and the server's reason of a refused call ('ok' and '' when it succeeded). */
async function refusal(p: Promise<unknown>): Promise<[string, string]> {
  try {
    await p;
    return ['ok', ''];
  } catch (e) {
    const o = e as { code?: unknown; details?: { reason?: unknown } };
    return [String(o.code).replace(/^functions\//, ''), typeof o.details?.reason === 'string' ? o.details.reason : ''];
  }
}

async function appointment(id: string): Promise<FirebaseFirestore.DocumentData | undefined> {
  return (await suite.adminDb.doc(paths.appointment(id)).get()).data();
}

async function lockHolders(specialistUid: string, start: Date, end: Date): Promise<string[]> {
  const docs = (await suite.adminDb.collection(`specialists/${specialistUid}/slotLocks`).get()).docs;
  return [
    ...new Set(
      docs
        .filter((d) => (d.get('start') as Timestamp).toMillis() < end.getTime() && (d.get('end') as Timestamp).toMillis() > start.getTime())
        .map((d) => String(d.get('appointmentId'))),
    ),
  ];
}

/**
 * Moves an unpaid appointment's deadline into the past, as if the patient had not paid in time (test data): on the
 * appointment and on the copy its slot locks carry.
 */
async function missDeadline(appointmentId: string): Promise<void> {
  const past = Timestamp.fromMillis(Date.now() - MINUTE_MS);
  const a = await appointment(appointmentId);
  await suite.adminDb.doc(paths.appointment(appointmentId)).update({ paymentDueAt: past });
  const locks = await suite.adminDb.collection(`specialists/${String(a?.specialistUid)}/slotLocks`).where('appointmentId', '==', appointmentId).get();
  expect(locks.size).toBeGreaterThan(0);
  for (const l of locks.docs) await l.ref.update({ unpaidUntil: past });
}

describe('the visit length and price are the server’s', () => {
  it('a request naming a duration or an end is refused; a booking lasts the office’s slot at the office’s price for the site', async () => {
    const p = await newPatient();
    const uid = PAY_AT_VISIT[0];
    const o = await office(uid, 'principal');
    const [s] = await spacedSlotsOf(uid, 'principal', week(0), 1);
    if (!s) throw new Error('no slot');
    // The hostile pass: 14:00–18:00 (240 minutes) at the price of one slot.
    expect(await codeOf(book(p, bookingOf(uid, s.start, { durationMinutes: 240 })))).toBe('invalid-argument');
    expect(await codeOf(book(p, bookingOf(uid, s.start, { end: new Date(s.start.getTime() + 240 * MINUTE_MS).toISOString() })))).toBe('invalid-argument');
    expect(await codeOf(book(p, bookingOf(uid, s.start, { price: { amount: 1, currency: 'PEN' } })))).toBe('invalid-argument');
    const r = await book(p, bookingOf(uid, s.start));
    expect(Date.parse(r.end) - Date.parse(r.start)).toBe(o.slotMinutes * MINUTE_MS);
    expect(r.price).toEqual(priceFor({ prices: o.prices, siteId: SITE }));
  });

  it('rescheduling cannot lengthen a visit: the new length and price are the (new) office’s', async () => {
    const p = await newPatient();
    const uid = PAY_AT_VISIT[1];
    const o = await office(uid, 'principal');
    // A second office of the same specialist with the same hours, 120-minute visits and another price.
    const long = { ...o, name: 'Consultas largas', slotMinutes: 120, prices: o.prices.map((x) => ({ ...x, price: { ...x.price, amount: x.price.amount * 4 } })) };
    await suite.adminDb.doc(paths.office(uid, 'larga')).set(long);
    const slots = await spacedSlotsOf(uid, 'principal', week(1), 6);
    const r = await book(p, bookingOf(uid, nth(slots, 0).start));
    const move = { appointmentId: r.appointmentId, start: nth(slots, 2).start.toISOString(), idempotencyKey: crypto.randomUUID() };
    const before = await appointment(r.appointmentId);
    expect(await codeOf(p.call('rescheduleAppointment', { ...move, durationMinutes: 240 }))).toBe('invalid-argument');
    expect(await codeOf(p.call('rescheduleAppointment', { ...move, end: new Date(Date.parse(move.start) + 240 * MINUTE_MS).toISOString() }))).toBe('invalid-argument');
    expect(await appointment(r.appointmentId)).toEqual(before);

    const same = (await p.call('rescheduleAppointment', move)) as Booked;
    expect(Date.parse(same.end) - Date.parse(same.start)).toBe(o.slotMinutes * MINUTE_MS);
    expect(same.price).toEqual(r.price);
    const longSlot = generateSlots({ office: long, officeId: 'larga', ...week(1), exceptions: [], busy: [], now: new Date() }).find(
      (x) => x.start.getTime() >= nth(slots, 4).start.getTime(),
    );
    if (!longSlot) throw new Error('no long slot');
    const moved = (await p.call('rescheduleAppointment', { ...move, start: longSlot.start.toISOString(), officeId: 'larga', idempotencyKey: crypto.randomUUID() })) as Booked;
    expect(Date.parse(moved.end) - Date.parse(moved.start)).toBe(120 * MINUTE_MS);
    expect(moved.price).toEqual(priceFor({ prices: long.prices, siteId: SITE }));
  });
});

describe('a patient holds a bounded number of active bookings', () => {
  it(`at most ${DEFAULT_BOOKING_SETTINGS.maxActivePerPatient} with one specialist by default; cancelling one frees a place`, async () => {
    const p = await newPatient();
    const uid = PAY_AT_VISIT[2];
    const slots = await spacedSlotsOf(uid, 'principal', week(2), DEFAULT_BOOKING_SETTINGS.maxActivePerPatient + 2);
    const booked: Booked[] = [];
    for (let i = 0; i < DEFAULT_BOOKING_SETTINGS.maxActivePerPatient; i++) booked.push(await book(p, bookingOf(uid, nth(slots, i).start)));
    const before = await bookingState();
    expect(await refusal(book(p, bookingOf(uid, nth(slots, booked.length).start)))).toEqual(['resource-exhausted', 'too-many-with-specialist']);
    expect(await bookingState()).toEqual(before);
    // Another patient is not affected.
    expect(await codeOf(book(await newPatient(), bookingOf(uid, nth(slots, booked.length).start)))).toBe('ok');
    const first = booked[0];
    if (!first) throw new Error('nothing booked');
    await p.call('cancelAppointment', { appointmentId: first.appointmentId, reason: 'Ya no la necesito', idempotencyKey: crypto.randomUUID() });
    expect(await codeOf(book(p, bookingOf(uid, nth(slots, booked.length + 1).start)))).toBe('ok');
  });

  it('the specialist’s own limit applies, also to two bookings racing past it', async () => {
    const p = await newPatient();
    const uid = PAY_AT_VISIT[3];
    await suite.adminDb.doc(paths.specialist(uid)).update({ bookingSettings: { maxActivePerPatient: 1 } });
    try {
      const slots = await spacedSlotsOf(uid, 'principal', week(3), 4);
      const codes = await Promise.all([codeOf(book(p, bookingOf(uid, nth(slots, 0).start))), codeOf(book(p, bookingOf(uid, nth(slots, 2).start)))]);
      expect(codes.sort()).toEqual(['ok', 'resource-exhausted']);
      expect(await refusal(book(p, bookingOf(uid, nth(slots, 3).start)))).toEqual(['resource-exhausted', 'too-many-with-specialist']);
    } finally {
      await suite.adminDb.doc(paths.specialist(uid)).update({ bookingSettings: FieldValue.delete() });
    }
  });

  it(`at most ${MAX_ACTIVE_BOOKINGS_PER_PATIENT} overall`, async () => {
    const p = await newPatient();
    const per = DEFAULT_BOOKING_SETTINGS.maxActivePerPatient;
    let made = 0;
    for (const uid of PAY_AT_VISIT) {
      for (const s of await spacedSlotsOf(uid, 'principal', week(4), per)) {
        if (made === MAX_ACTIVE_BOOKINGS_PER_PATIENT) break;
        await book(p, bookingOf(uid, s.start));
        made++;
      }
    }
    expect(made).toBe(MAX_ACTIVE_BOOKINGS_PER_PATIENT);
    const spare = await spacedSlotsOf('esp-camila-restrepo', 'principal', week(4), 1);
    expect(await refusal(book(p, bookingOf('esp-camila-restrepo', nth(spare, 0).start)))).toEqual(['resource-exhausted', 'too-many-bookings']);
  });
});

describe('an unpaid prepaid booking past its deadline frees its slot', () => {
  it('the next booking of that slot succeeds before any job ran, expiring the unpaid one in its own transaction', async () => {
    const [first, second] = [await newPatient(), await newPatient()];
    const [s] = await spacedSlotsOf(PREPAID, 'video', week(5), 1);
    if (!s) throw new Error('no slot');
    const unpaid = await book(first, bookingOf(PREPAID, s.start, { officeId: 'video' }));
    expect(unpaid.status).toBe('pending_payment');
    // Before the deadline the slot is taken.
    expect(await codeOf(book(second, bookingOf(PREPAID, s.start, { officeId: 'video' })))).toBe('already-exists');
    await missDeadline(unpaid.appointmentId);

    const taken = await book(second, bookingOf(PREPAID, s.start, { officeId: 'video' }));
    expect(taken.status).toBe('pending_payment');
    const old = await appointment(unpaid.appointmentId);
    const fresh = await appointment(taken.appointmentId);
    expect(old).toMatchObject({ status: 'cancelled', cancellation: { by: null, role: 'system', fee: { amount: 0 }, refund: { amount: 0 } } });
    // One transaction: the expiry and the new booking carry the same clock.
    expect((old?.cancellation as { at: Timestamp }).at.toMillis()).toBe((fresh?.createdAt as Timestamp).toMillis());
    const history = (await suite.adminDb.collection(paths.appointmentHistory(unpaid.appointmentId)).get()).docs.map((d) => d.data());
    expect(history).toContainEqual(expect.objectContaining({ from: 'pending_payment', to: 'cancelled', role: 'system', by: null, note: 'payment-expired' }));
    expect(await lockHolders(PREPAID, s.start, s.end)).toEqual([taken.appointmentId]);
    expect((await busyOf(PREPAID)).filter((b) => b.start === s.start.getTime())).toEqual([{ start: s.start.getTime(), end: s.end.getTime() }]);
    // The expired one cannot be moved any more.
    const [later] = await spacedSlotsOf(PREPAID, 'video', week(6), 1);
    if (!later) throw new Error('no slot');
    expect(await codeOf(first.call('rescheduleAppointment', { appointmentId: unpaid.appointmentId, start: later.start.toISOString(), idempotencyKey: crypto.randomUUID() }))).toBe(
      'failed-precondition',
    );
  });

  it(`the scheduled job ${JOB} expires what is past its deadline, leaves the rest, and a second run changes nothing`, async () => {
    const p = await newPatient();
    const q = await newPatient();
    const slots = await spacedSlotsOf(PREPAID, 'video', week(7), 3);
    const due = await book(p, bookingOf(PREPAID, nth(slots, 0).start, { officeId: 'video' }));
    const alsoDue = await book(q, bookingOf(PREPAID, nth(slots, 1).start, { officeId: 'video' }));
    const notYet = await book(q, bookingOf(PREPAID, nth(slots, 2).start, { officeId: 'video' }));
    await missDeadline(due.appointmentId);
    await missDeadline(alsoDue.appointmentId);

    const run = await suite.stack.runJob(JOB);
    expect(run.status).toBe(200);
    for (const [a, s] of [
      [due, nth(slots, 0)],
      [alsoDue, nth(slots, 1)],
    ] as const) {
      expect(await appointment(a.appointmentId)).toMatchObject({ status: 'cancelled', cancellation: { role: 'system' } });
      expect(await lockHolders(PREPAID, s.start, s.end)).toEqual([]);
      expect((await busyOf(PREPAID)).some((b) => b.start === s.start.getTime())).toBe(false);
    }
    expect(await appointment(notYet.appointmentId)).toMatchObject({ status: 'pending_payment' });
    expect(await lockHolders(PREPAID, nth(slots, 2).start, nth(slots, 2).end)).toEqual([notYet.appointmentId]);

    const after = await bookingState();
    await suite.stack.runJob(JOB);
    expect(await bookingState()).toEqual(after);
    // The freed time can be booked again.
    expect(await codeOf(book(await newPatient(), bookingOf(PREPAID, nth(slots, 0).start, { officeId: 'video' })))).toBe('ok');
  });
});

describe('the booking window: horizon and minimum notice', () => {
  it('refuses 9999-12-27 and anything past the default horizon, for booking and rescheduling', async () => {
    const p = await newPatient();
    const uid = 'esp-camila-restrepo';
    expect(await refusal(book(p, bookingOf(uid, '9999-12-27T14:00:00Z')))).toEqual(['failed-precondition', 'too-far']);
    const far = new Date(Date.now() + (DEFAULT_BOOKING_SETTINGS.horizonDays + 7) * DAY_MS);
    const farSlot = generateSlots({ office: await office(uid, 'principal'), officeId: 'principal', from: far, to: new Date(far.getTime() + 7 * DAY_MS), exceptions: [], busy: [], now: new Date() })[0];
    if (!farSlot) throw new Error('no far slot');
    expect(await refusal(book(p, bookingOf(uid, farSlot.start)))).toEqual(['failed-precondition', 'too-far']);
    const [s] = await spacedSlotsOf(uid, 'principal', week(8), 1);
    if (!s) throw new Error('no slot');
    const r = await book(p, bookingOf(uid, s.start));
    expect(await refusal(p.call('rescheduleAppointment', { appointmentId: r.appointmentId, start: farSlot.start.toISOString(), idempotencyKey: crypto.randomUUID() }))).toEqual([
      'failed-precondition',
      'too-far',
    ]);
  });

  it('follows the specialist’s own notice and horizon', async () => {
    const p = await newPatient();
    const uid = 'esp-javier-martin';
    await suite.adminDb.doc(paths.specialist(uid)).update({ bookingSettings: { minNoticeMinutes: 10 * 24 * 60, horizonDays: 21 } });
    try {
      const o = await office(uid, 'principal');
      const window = (fromDays: number, toDays: number) => ({ from: new Date(Date.now() + fromDays * DAY_MS), to: new Date(Date.now() + toDays * DAY_MS) });
      const first = (w: { from: Date; to: Date }) => generateSlots({ office: o, officeId: 'principal', ...w, exceptions: [], busy: [], now: new Date() })[0];
      const soon = first(window(1, 8));
      const ok = first(window(11, 20));
      const far = first(window(22, 30));
      if (!soon || !ok || !far) throw new Error('no slots');
      expect(await refusal(book(p, bookingOf(uid, soon.start)))).toEqual(['failed-precondition', 'too-soon']);
      expect(await refusal(book(p, bookingOf(uid, far.start)))).toEqual(['failed-precondition', 'too-far']);
      const r = await book(p, bookingOf(uid, ok.start));
      expect(await refusal(p.call('rescheduleAppointment', { appointmentId: r.appointmentId, start: soon.start.toISOString(), idempotencyKey: crypto.randomUUID() }))).toEqual([
        'failed-precondition',
        'too-soon',
      ]);
    } finally {
      await suite.adminDb.doc(paths.specialist(uid)).update({ bookingSettings: FieldValue.delete() });
    }
  });
});

describe('free text', () => {
  it('is stored normalised (NFC, trimmed); a reason may span lines; control, bidi and invisible characters are refused', async () => {
    const p = await newPatient();
    const uid = 'esp-camila-restrepo';
    const slots = await spacedSlotsOf(uid, 'principal', week(9), 2);
    const before = await bookingState();
    for (const reason of ['Control\u0000', 'Pago \u202Eodaborpa', 'Ana\u200BTorres', '\u2066oculto\u2069', 'a\u0007b']) {
      expect(await codeOf(book(p, bookingOf(uid, nth(slots, 0).start, { reason })))).toBe('invalid-argument');
    }
    expect(await codeOf(book(p, bookingOf(uid, nth(slots, 0).start, { forWhom: 'dependant', dependantName: 'Tomás\nTorres' })))).toBe('invalid-argument');
    expect(await bookingState()).toEqual(before);
    const r = await book(p, bookingOf(uid, nth(slots, 0).start, { reason: '  Revisio\u0301n\r\ndesde ayer ', forWhom: 'dependant', dependantName: 'Jose\u0301 Torres' }));
    expect(await appointment(r.appointmentId)).toMatchObject({ reason: 'Revisión\ndesde ayer', dependantName: 'José Torres' });
  });
});
