/**
 * Booking on the local stack: the real Functions emulator runs bookAppointment, cancelAppointment and
 * rescheduleAppointment, called with the web SDK by seeded and freshly created patients; our engine runs the
 * read-write transactions with pessimistic locks. Checks server-side prices and statuses, that overlapping bookings
 * (partial overlap, buffers, two offices of one specialist) cannot both commit, that cancelling and rescheduling move
 * locks and the busy projection atomically, idempotency under retries and races, a 20-way race repeated 50 times, and
 * that malformed requests answer their error code and change nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Timestamp } from 'firebase-admin/firestore';
import { paths, type CallableName, type Slot } from '../../domain/src';
import { DEMO_PASSWORD } from '../../scripts/seed-data';
import { callRaw, codeOf, type StackClient } from './support/clients';
import { book as bookAs, bookingOf, bookingReads, DAY_MS, nth, spaced, week, type Booked } from './support/booking';
import { useStack } from './support/use-stack';

const ports = { firestore: 13080, storage: 13199, auth: 13099, functions: 13001, hub: 13400, logging: 13500 };
const suite = useStack({ name: 'booking', ports });
const { office, slotsOf, busyOf, bookingState } = bookingReads(() => suite.adminDb);

const EMAIL = {
  ana: 'paciente@demo.telesalud.test',
  luis: 'luis.mendoza@demo.telesalud.test',
  carla: 'carla.nunez@demo.telesalud.test',
  marta: 'marta.ruiz@demo.telesalud.test',
  valentina: 'especialista@demo.telesalud.test',
  staffAndina: 'recepcion.andina@demo.telesalud.test',
  staffIberia: 'recepcion.iberia@demo.telesalud.test',
  admin: 'admin@demo.telesalud.test',
} as const;
type Person = keyof typeof EMAIL;
const UID = {
  ana: 'pac-ana-torres',
  luis: 'pac-luis-mendoza',
  valentina: 'esp-valentina-rojas',
  andres: 'esp-andres-gomez',
  lucia: 'esp-lucia-quispe',
  mariana: 'esp-mariana-lopez',
  diego: 'esp-diego-ramirez',
  sofia: 'esp-sofia-hernandez',
  matias: 'esp-matias-soto',
  florencia: 'esp-florencia-diaz',
  jorge: 'esp-jorge-herrera',
  pau: 'esp-pau-ferrer',
} as const;
const RACERS = 20;
const ROUNDS = 50;

const signedIn = new Map<string, Promise<StackClient>>();
/** One signed-in client per person for the whole file. */
function as(who: Person | 'anonymous'): Promise<StackClient> {
  let c = signedIn.get(who);
  if (!c) {
    c = who === 'anonymous' ? Promise.resolve(suite.people.anonymous()) : suite.people.signIn(EMAIL[who]);
    signedIn.set(who, c);
  }
  return c;
}

async function book(who: Person | StackClient, data: Record<string, unknown>): Promise<Booked> {
  return bookAs(typeof who === 'string' ? await as(who) : who, data);
}

async function count(q: FirebaseFirestore.Query): Promise<number> {
  return (await q.count().get()).data().count;
}

async function locksOf(appointmentId: string): Promise<string[]> {
  return (await suite.adminDb.collectionGroup('slotLocks').where('appointmentId', '==', appointmentId).get()).docs.map((d) => d.ref.path).sort();
}

describe('bookAppointment', () => {
  it('books an offered slot: price, status, end, locks, busy projection, history and notification come from the server', async () => {
    const [slot] = await slotsOf(UID.lucia, 'principal', week(0));
    if (!slot) throw new Error('no slot');
    const o = await office(UID.lucia, 'principal');
    const r = await book('ana', bookingOf(UID.lucia, slot.start));
    expect(r).toEqual({ appointmentId: expect.any(String), status: 'confirmed', start: slot.start.toISOString(), end: slot.end.toISOString(), price: o.prices[0]?.price });
    const a = (await suite.adminDb.doc(paths.appointment(r.appointmentId)).get()).data();
    expect(a).toMatchObject({ patientUid: UID.ana, specialistUid: UID.lucia, status: 'confirmed', paymentPolicy: 'pay_at_visit', price: o.prices[0]?.price, timeZone: o.timeZone, modality: 'in_person' });
    expect(a?.clinicId).toBeUndefined();
    expect(a?.videoRoom).toBeUndefined();
    expect((a?.start as Timestamp).toMillis()).toBe(slot.start.getTime());
    // 30 minutes + a 10-minute buffer in 5-minute granules.
    expect(await locksOf(r.appointmentId)).toHaveLength(8);
    expect(await busyOf(UID.lucia)).toContainEqual({ start: slot.start.getTime(), end: slot.end.getTime() });
    const history = (await suite.adminDb.collection(paths.appointmentHistory(r.appointmentId)).get()).docs.map((d) => d.data());
    expect(history).toEqual([expect.objectContaining({ from: null, to: 'confirmed', role: 'system', by: null })]);
    const notes = (await suite.adminDb.collection(paths.notifications(UID.lucia)).get()).docs.map((d) => d.data());
    expect(notes).toContainEqual(expect.objectContaining({ kind: 'appointment_confirmed', link: `/citas/${r.appointmentId}`, channels: ['in_app'] }));
    // No patient data in the specialist's notification.
    expect(JSON.stringify(notes)).not.toContain('Control anual');
  });

  it('a prepaid specialist: pending_payment with a deadline; a video office gets an unguessable room; clinicId from the membership', async () => {
    const [slot] = await slotsOf(UID.andres, 'video', week(0));
    if (!slot) throw new Error('no slot');
    const r = await book('ana', bookingOf(UID.andres, slot.start, { officeId: 'video' }));
    expect(r.status).toBe('pending_payment');
    expect(Date.parse(r.paymentDueAt ?? '')).toBeGreaterThan(Date.now());
    expect(Date.parse(r.paymentDueAt ?? '')).toBeLessThanOrEqual(slot.start.getTime());
    const a = (await suite.adminDb.doc(paths.appointment(r.appointmentId)).get()).data();
    expect(a).toMatchObject({ status: 'pending_payment', modality: 'video', clinicId: 'clinica-andina' });
    expect((a?.videoRoom as { channel: string }).channel).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a long visit at one office and a short one at another that overlap partly cannot both succeed, in sequence or at once', async () => {
    // The visit's length is the office's: a second office of Diego's with the same hours and 100-minute visits.
    const o = await office(UID.diego, 'principal');
    await suite.adminDb.doc(paths.office(UID.diego, 'larga')).set({ ...o, name: 'Consultas largas', slotMinutes: 2 * o.slotMinutes });
    const slots = await slotsOf(UID.diego, 'larga', week(1));
    const short = new Set((await slotsOf(UID.diego, 'principal', week(1))).map((x) => x.start.getTime()));
    // Diego's grid is 50 minutes; the short booking starts one short slot later, inside the long one.
    const first = nth(slots, 0);
    const second = new Date(first.start.getTime() + o.slotMinutes * 60_000);
    expect(short.has(second.getTime())).toBe(true);
    expect(await codeOf(book('ana', bookingOf(UID.diego, first.start, { officeId: 'larga' })))).toBe('ok');
    expect(await codeOf(book('luis', bookingOf(UID.diego, second)))).toBe('already-exists');

    // Another day: a long slot whose next short grid time is also offered.
    const later = slots.find((x) => x.start.getTime() >= first.start.getTime() + DAY_MS && short.has(x.start.getTime() + o.slotMinutes * 60_000));
    if (!later) throw new Error('no slot');
    const partner = new Date(later.start.getTime() + o.slotMinutes * 60_000);
    const codes = await Promise.all([
      codeOf(book('ana', bookingOf(UID.diego, later.start, { officeId: 'larga' }))),
      codeOf(book('luis', bookingOf(UID.diego, partner))),
    ]);
    expect(codes.sort()).toEqual(['already-exists', 'ok']);
  });

  it('respects the buffer on both sides of an appointment', async () => {
    const o = await office(UID.matias, 'principal');
    // Two more offices of Matías' with the same hours and buffer, for 25- and 20-minute visits.
    await suite.adminDb.doc(paths.office(UID.matias, 'corta-25')).set({ ...o, name: 'Consultas de 25', slotMinutes: 25 });
    await suite.adminDb.doc(paths.office(UID.matias, 'corta-20')).set({ ...o, name: 'Consultas de 20', slotMinutes: 20 });
    const slots = await slotsOf(UID.matias, 'principal', week(1));
    // Matías' grid is 30 minutes with a 10-minute buffer: the first four grid times of an opening (where the 25- and
    // 20-minute grids start too).
    const i = slots.findIndex(
      (x, k) => slots[k - 1]?.start.getTime() !== x.start.getTime() - 30 * 60_000 && [1, 2, 3].every((j) => slots[k + j]?.start.getTime() === x.start.getTime() + j * 30 * 60_000),
    );
    const [a, b, c, d] = [nth(slots, i), nth(slots, i + 1), nth(slots, i + 2), nth(slots, i + 3)];
    expect(await codeOf(book('ana', bookingOf(UID.matias, b.start)))).toBe('ok');
    // Right after it: no 10 minutes between them.
    expect(await codeOf(book('luis', bookingOf(UID.matias, c.start)))).toBe('already-exists');
    // Right before it: 25 minutes leaves 5 free before b, under the buffer; 20 minutes leaves exactly the buffer.
    expect(await codeOf(book('luis', bookingOf(UID.matias, a.start, { officeId: 'corta-25' })))).toBe('already-exists');
    expect(await codeOf(book('luis', bookingOf(UID.matias, a.start, { officeId: 'corta-20' })))).toBe('ok');
    // Two grid times after b is free: b's end plus the buffer comes before it.
    expect(await codeOf(book('carla', bookingOf(UID.matias, d.start)))).toBe('ok');
  });

  it('refuses the same specialist in two offices at once', async () => {
    // A second in-person office with the same hours as the first (test data written with the admin SDK).
    const principal = await office(UID.mariana, 'principal');
    await suite.adminDb.doc(paths.office(UID.mariana, 'sede-2')).set({ ...principal, name: 'Sede 2', address: 'Av. Vallarta 1000' });
    const slots = spaced(await slotsOf(UID.mariana, 'principal', week(2)), principal.bufferMinutes, 3);
    const [s0, s1] = [nth(slots, 0), nth(slots, 1)];
    expect(await codeOf(book('ana', bookingOf(UID.mariana, s0.start)))).toBe('ok');
    expect(await codeOf(book('luis', bookingOf(UID.mariana, s0.start, { officeId: 'sede-2' })))).toBe('already-exists');
    const codes = await Promise.all([codeOf(book('ana', bookingOf(UID.mariana, s1.start))), codeOf(book('luis', bookingOf(UID.mariana, s1.start, { officeId: 'sede-2' })))]);
    expect(codes.sort()).toEqual(['already-exists', 'ok']);
  });

  it('the same idempotency key 5 times in sequence and 5 at once gives one appointment and the same answer; another payload is invalid-argument', async () => {
    const slots = spaced(await slotsOf(UID.florencia, 'principal', week(2)), 10, 3);
    const seq = bookingOf(UID.florencia, nth(slots, 0).start);
    const answers: unknown[] = [];
    // Marta, so Ana stays under the per-patient limit of active bookings across this file.
    for (let i = 0; i < 5; i++) answers.push(await book('marta', seq));
    for (const a of answers) expect(a).toEqual(answers[0]);

    const par = bookingOf(UID.florencia, nth(slots, 1).start);
    const parallel = await Promise.all(Array.from({ length: 5 }, () => book('marta', par)));
    for (const a of parallel) expect(a).toEqual(parallel[0]);

    for (const key of [seq.idempotencyKey, par.idempotencyKey]) {
      expect(await count(suite.adminDb.collection('appointments').where('idempotencyKey', '==', key))).toBe(1);
    }
    expect(await codeOf(book('marta', { ...seq, reason: 'Otra cosa' }))).toBe('invalid-argument');
    expect(await codeOf(book('marta', { ...seq, start: nth(slots, 2).start.toISOString() }))).toBe('invalid-argument');
    // The key is the caller's: another patient with the same key books on their own.
    expect(await codeOf(book('luis', { ...seq, start: nth(slots, 2).start.toISOString() }))).toBe('ok');
    expect(await count(suite.adminDb.collection('appointments').where('specialistUid', '==', UID.florencia))).toBe(3);
  });
});

describe('cancelAppointment and rescheduleAppointment', () => {
  it('cancelling frees the slot for rebooking; the cancellation, history, locks and busy projection follow', async () => {
    const [slot] = await slotsOf(UID.jorge, 'principal', week(3));
    if (!slot) throw new Error('no slot');
    const r = await book('ana', bookingOf(UID.jorge, slot.start));
    expect(await codeOf(book('luis', bookingOf(UID.jorge, slot.start)))).toBe('already-exists');
    const cancel = { appointmentId: r.appointmentId, reason: 'Viaje', idempotencyKey: crypto.randomUUID() };
    const answer = await (await as('ana')).call('cancelAppointment', cancel);
    expect(answer).toEqual({ appointmentId: r.appointmentId, status: 'cancelled', fee: { amount: 0, currency: r.price.currency }, refund: { amount: 0, currency: r.price.currency } });
    // A retry with the same key answers the same; a new key is refused (already cancelled).
    expect(await (await as('ana')).call('cancelAppointment', cancel)).toEqual(answer);
    expect(await codeOf((await as('ana')).call('cancelAppointment', { ...cancel, idempotencyKey: crypto.randomUUID() }))).toBe('failed-precondition');
    const a = (await suite.adminDb.doc(paths.appointment(r.appointmentId)).get()).data();
    expect(a).toMatchObject({ status: 'cancelled', cancellation: { by: UID.ana, role: 'patient', reason: 'Viaje' } });
    const history = (await suite.adminDb.collection(paths.appointmentHistory(r.appointmentId)).get()).docs.map((d) => d.data());
    expect(history).toContainEqual(expect.objectContaining({ from: 'confirmed', to: 'cancelled', role: 'patient', by: UID.ana }));
    expect(await locksOf(r.appointmentId)).toEqual([]);
    expect(await busyOf(UID.jorge)).toEqual([]);
    expect(await codeOf(book('luis', bookingOf(UID.jorge, slot.start)))).toBe('ok');
    expect(await busyOf(UID.jorge)).toEqual([{ start: slot.start.getTime(), end: slot.end.getTime() }]);
  });

  it("staff of the appointment's clinic and its specialist may cancel; staff of another clinic may not", async () => {
    const slots = spaced(await slotsOf(UID.valentina, 'principal', week(3)), 10, 2);
    const r1 = await book('luis', bookingOf(UID.valentina, nth(slots, 0).start));
    const r2 = await book('luis', bookingOf(UID.valentina, nth(slots, 1).start));
    const cancel = (appointmentId: string) => ({ appointmentId, reason: 'Agenda', idempotencyKey: crypto.randomUUID() });
    expect(await codeOf((await as('staffIberia')).call('cancelAppointment', cancel(r1.appointmentId)))).toBe('permission-denied');
    expect(await codeOf((await as('staffAndina')).call('cancelAppointment', cancel(r1.appointmentId)))).toBe('ok');
    expect(await codeOf((await as('valentina')).call('cancelAppointment', cancel(r2.appointmentId)))).toBe('ok');
    expect((await suite.adminDb.doc(paths.appointment(r1.appointmentId)).get()).get('cancellation.role')).toBe('staff');
    expect((await suite.adminDb.doc(paths.appointment(r2.appointmentId)).get()).get('cancellation.role')).toBe('specialist');
  });

  it('rescheduling moves locks, busy time and history atomically; overlapping itself is fine; a taken slot is refused with nothing changed', async () => {
    const slots = await slotsOf(UID.lucia, 'principal', week(4));
    const [x, next, far, taken] = [nth(slots, 0), nth(slots, 1), nth(slots, 6), nth(slots, 10)];
    const r = await book('ana', bookingOf(UID.lucia, x.start));
    const other = await book('luis', bookingOf(UID.lucia, taken.start));
    const moveTo = (s: Slot) => ({ appointmentId: r.appointmentId, start: s.start.toISOString(), idempotencyKey: crypto.randomUUID() });

    // 30 minutes later: overlaps its own buffer, which is not a conflict.
    expect(await (await as('ana')).call('rescheduleAppointment', moveTo(next))).toEqual({
      appointmentId: r.appointmentId,
      status: 'confirmed',
      start: next.start.toISOString(),
      end: next.end.toISOString(),
      price: r.price,
    });
    const busy = await busyOf(UID.lucia);
    expect(busy).toContainEqual({ start: next.start.getTime(), end: next.end.getTime() });
    expect(busy).not.toContainEqual({ start: x.start.getTime(), end: x.end.getTime() });

    const before = await bookingState();
    expect(await codeOf((await as('ana')).call('rescheduleAppointment', moveTo(taken)))).toBe('already-exists');
    expect(await bookingState()).toEqual(before);

    await (await as('ana')).call('rescheduleAppointment', moveTo(far));
    const locks = await locksOf(r.appointmentId);
    expect(locks).toHaveLength(8);
    expect(locks.every((l) => l.includes(far.start.toISOString().slice(0, 10).replace(/-/g, '')))).toBe(true);
    const history = (await suite.adminDb.collection(paths.appointmentHistory(r.appointmentId)).get()).docs.map((d) => d.data());
    expect(history.filter((h) => h.rescheduledFrom)).toHaveLength(2);
    // The old times are free again, the new one is taken.
    expect(await codeOf(book('carla', bookingOf(UID.lucia, x.start)))).toBe('ok');
    expect(await codeOf(book('carla', bookingOf(UID.lucia, far.start)))).toBe('already-exists');
    expect(other.status).toBe('confirmed');
  });
});

describe('a 20-way race for one slot, 50 times', () => {
  const clients: StackClient[] = [];
  beforeAll(async () => {
    const auth = suite.adminAuth;
    for (let i = 0; i < RACERS; i++) {
      const uid = `pac-racer-${String(i).padStart(2, '0')}`;
      await auth.createUser({ uid, email: `${uid}@demo.telesalud.test`, password: DEMO_PASSWORD });
      await auth.setCustomUserClaims(uid, { roles: ['patient'] });
    }
    for (let i = 0; i < RACERS; i++) clients.push(await suite.people.signIn(`pac-racer-${String(i).padStart(2, '0')}@demo.telesalud.test`));
    // The Functions emulator runs one request per worker and starts workers on demand: let it start 20 before the
    // race (a refused payload answers at once and writes nothing), so the rounds measure the booking, not cold starts.
    const warm = await Promise.all(clients.map((c) => book(c, {}).then(() => 'ok', (e: unknown) => String((e as { code?: unknown }).code))));
    expect(warm).toEqual(Array(RACERS).fill('functions/invalid-argument'));
  }, 240_000);

  it(
    'exactly one booking wins each time, the others hear "slot just taken", and nothing is half-written',
    async () => {
      const o = await office(UID.sofia, 'principal');
      const slots = spaced(await slotsOf(UID.sofia, 'principal', { from: week(5).from, to: week(8).to }), o.bufferMinutes, ROUNDS);
      const winners: Booked[] = [];
      for (const slot of slots) {
        const results = await Promise.all(
          clients.map(async (c) => {
            try {
              return { code: 'ok', booked: await book(c, bookingOf(UID.sofia, slot.start)) };
            } catch (e) {
              return { code: String((e as { code?: unknown }).code).replace(/^functions\//, ''), booked: undefined };
            }
          }),
        );
        const won = results.flatMap((r) => (r.booked ? [r.booked] : []));
        expect(results.filter((r) => r.code !== 'ok').map((r) => r.code)).toEqual(Array(RACERS - 1).fill('already-exists'));
        expect(won).toHaveLength(1);
        winners.push(...won);
        // The first racer to arrive tends to win: its visits are marked done (test data), so however often one racer
        // wins it stays under the per-patient booking limits, which booking-integrity.test.ts tests on their own.
        for (const w of won) await suite.adminDb.doc(paths.appointment(w.appointmentId)).update({ status: 'completed' });
      }
      const appointments = (await suite.adminDb.collection('appointments').where('specialistUid', '==', UID.sofia).get()).docs;
      expect(appointments.map((d) => d.id).sort()).toEqual(winners.map((w) => w.appointmentId).sort());
      // 30 minutes + 10 of buffer = 8 granules each.
      expect(await count(suite.adminDb.collection(`specialists/${UID.sofia}/slotLocks`))).toBe(ROUNDS * 8);
      const racers = new Set(clients.map((c) => c.user?.uid));
      const records = (await suite.adminDb.collection('idempotency').get()).docs.filter((d) => racers.has(d.get('uid')));
      expect(records).toHaveLength(ROUNDS);
      expect(await busyOf(UID.sofia)).toEqual(slots.map((s) => ({ start: s.start.getTime(), end: s.end.getTime() })));
      expect(await count(suite.adminDb.collection(paths.notifications(UID.sofia)))).toBe(ROUNDS);
      for (const a of appointments) expect(await count(a.ref.collection('history'))).toBe(1);
    },
    600_000,
  );
});

/** One refused request and the code it must get. */
interface Case {
  name: string;
  as: Person | 'anonymous';
  data?: unknown;
  /** A hand-written JSON body ({"data": …}). */
  raw?: string;
  code: string;
}

function protoCases(valid: Record<string, unknown>, smuggled: string, who: Person): Case[] {
  const without = Object.fromEntries(Object.entries(valid).filter(([k]) => k !== smuggled));
  const rest = JSON.stringify(without).slice(1, -1);
  return [
    { name: 'an own __proto__ key', as: who, raw: JSON.stringify({ data: valid }).replace(/\}\}$/, ',"__proto__":{"isAdmin":true}}}'), code: 'invalid-argument' },
    { name: `${smuggled} smuggled in through __proto__`, as: who, raw: `{"data":{${rest},"__proto__":{"${smuggled}":${JSON.stringify(valid[smuggled])}}}}`, code: 'invalid-argument' },
  ];
}

function refusesAll(callable: CallableName, cases: () => Case[], setup?: () => Promise<void>): void {
  describe(`${callable} refuses malformed and unauthorised requests`, () => {
    let before: Record<string, unknown>;
    let list: Case[] = [];
    beforeAll(async () => {
      await setup?.();
      list = cases();
      before = await bookingState();
    }, 120_000);
    it('has at least 12 classes of bad input, each answering its code, and the database is unchanged', async () => {
      expect(new Set(list.map((c) => c.name)).size).toBeGreaterThanOrEqual(12);
      const got: Record<string, string> = {};
      for (const c of list) {
        const client = await as(c.as);
        got[c.name] = c.raw !== undefined ? await callRaw(suite.stack, callable, c.raw, await client.user?.getIdToken()) : await codeOf(client.call(callable, c.data));
      }
      expect(got).toEqual(Object.fromEntries(list.map((c) => [c.name, c.code])));
      expect(await bookingState()).toEqual(before);
    });
  });
}

let bookSlots: Slot[] = [];
refusesAll(
  'bookAppointment',
  () => {
    const s = nth(bookSlots, 0);
    const valid = bookingOf(UID.lucia, s.start);
    const omit = (k: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k));
    const past = new Date(Date.now() - 7 * DAY_MS);
    return [
      { name: 'missing start', as: 'ana', data: omit('start'), code: 'invalid-argument' },
      { name: 'missing idempotencyKey', as: 'ana', data: omit('idempotencyKey'), code: 'invalid-argument' },
      { name: 'an extra price field', as: 'ana', data: { ...valid, price: { amount: 1, currency: 'PEN' } }, code: 'invalid-argument' },
      { name: 'durationMinutes as a string', as: 'ana', data: { ...valid, durationMinutes: '30' }, code: 'invalid-argument' },
      { name: 'a client-chosen 240-minute duration', as: 'ana', data: { ...valid, durationMinutes: 240 }, code: 'invalid-argument' },
      { name: 'a client-chosen end', as: 'ana', data: { ...valid, end: new Date(s.start.getTime() + 4 * 3_600_000).toISOString() }, code: 'invalid-argument' },
      { name: 'a reason with a NUL', as: 'ana', data: { ...valid, reason: 'Control\u0000 anual' }, code: 'invalid-argument' },
      { name: 'a reason with a right-to-left override', as: 'ana', data: { ...valid, reason: 'Control \u202Elaunna' }, code: 'invalid-argument' },
      { name: 'a dependant name with a zero-width space', as: 'ana', data: { ...valid, forWhom: 'dependant', dependantName: 'Tom\u200Bás' }, code: 'invalid-argument' },
      { name: 'on 9999-12-27 (beyond the horizon)', as: 'ana', data: { ...valid, start: '9999-12-27T14:00:00Z' }, code: 'failed-precondition' },
      { name: 'in an hour (under the notice)', as: 'ana', data: { ...valid, start: new Date(Math.ceil((Date.now() + 3_600_000) / 1_800_000) * 1_800_000).toISOString() }, code: 'failed-precondition' },
      { name: 'a null payload', as: 'ana', data: null, code: 'invalid-argument' },
      { name: 'a null officeId', as: 'ana', data: { ...valid, officeId: null }, code: 'invalid-argument' },
      { name: 'an empty reason', as: 'ana', data: { ...valid, reason: '   ' }, code: 'invalid-argument' },
      { name: 'a 10 KB reason', as: 'ana', data: { ...valid, reason: 'x'.repeat(10 * 1024) }, code: 'invalid-argument' },
      { name: 'a 10 KB specialistUid', as: 'ana', data: { ...valid, specialistUid: 'x'.repeat(10 * 1024) }, code: 'invalid-argument' },
      { name: 'a date that is not on the calendar', as: 'ana', data: { ...valid, start: '2031-02-30T09:00:00Z' }, code: 'invalid-argument' },
      { name: 'a local time without an offset', as: 'ana', data: { ...valid, start: s.start.toISOString().replace('Z', '') }, code: 'invalid-argument' },
      { name: 'an impossible offset', as: 'ana', data: { ...valid, start: s.start.toISOString().replace('Z', '+25:00') }, code: 'invalid-argument' },
      { name: 'a negative duration', as: 'ana', data: { ...valid, durationMinutes: -30 }, code: 'invalid-argument' },
      { name: 'a fractional duration', as: 'ana', data: { ...valid, durationMinutes: 30.5 }, code: 'invalid-argument' },
      { name: 'an idempotency key that is not a UUID', as: 'ana', data: { ...valid, idempotencyKey: 'abc' }, code: 'invalid-argument' },
      { name: 'a dependant name for oneself', as: 'ana', data: { ...valid, dependantName: 'Tomás' }, code: 'invalid-argument' },
      { name: 'a reserved id as officeId', as: 'ana', data: { ...valid, officeId: '__x__' }, code: 'invalid-argument' },
      { name: 'a site without a price', as: 'ana', data: { ...valid, siteId: 'otro-portal' }, code: 'invalid-argument' },
      { name: 'a slot in the past', as: 'ana', data: { ...valid, start: past.toISOString() }, code: 'failed-precondition' },
      { name: 'off the grid (outside hours)', as: 'ana', data: { ...valid, start: new Date(s.start.getTime() + 7 * 60_000).toISOString() }, code: 'failed-precondition' },
      { name: 'at 03:00 (outside hours)', as: 'ana', data: { ...valid, start: `${s.localDate}T03:00:00-05:00` }, code: 'failed-precondition' },
      { name: "another specialist's office id", as: 'ana', data: { ...valid, officeId: 'sede-2' }, code: 'not-found' },
      { name: 'a video office of a specialist without one', as: 'ana', data: { ...valid, specialistUid: UID.jorge, officeId: 'video' }, code: 'not-found' },
      { name: 'a specialist that does not exist', as: 'ana', data: { ...valid, specialistUid: 'nobody-here' }, code: 'not-found' },
      { name: 'a specialist under review', as: 'ana', data: { ...valid, specialistUid: UID.pau }, code: 'failed-precondition' },
      { name: 'a specialist booking themselves', as: 'valentina', data: { ...valid, specialistUid: UID.valentina }, code: 'failed-precondition' },
      ...protoCases(valid, 'specialistUid', 'ana'),
      { name: 'no sign-in', as: 'anonymous', data: valid, code: 'unauthenticated' },
      { name: 'staff (wrong role)', as: 'staffAndina', data: valid, code: 'permission-denied' },
      { name: 'an admin (wrong role)', as: 'admin', data: valid, code: 'permission-denied' },
    ];
  },
  async () => {
    bookSlots = await slotsOf(UID.lucia, 'principal', week(9));
  },
);

let target: Booked | undefined;
let targetSlots: Slot[] = [];
function targetId(): string {
  if (!target) throw new Error('no target appointment');
  return target.appointmentId;
}
async function bookTarget(): Promise<void> {
  if (target) return;
  targetSlots = await slotsOf(UID.valentina, 'principal', week(10));
  target = await book('ana', bookingOf(UID.valentina, nth(targetSlots, 0).start));
}

refusesAll(
  'cancelAppointment',
  () => {
    const valid = { appointmentId: targetId(), reason: 'No puedo ir', idempotencyKey: crypto.randomUUID() };
    const omit = (k: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k));
    return [
      { name: 'missing appointmentId', as: 'ana', data: omit('appointmentId'), code: 'invalid-argument' },
      { name: 'missing reason', as: 'ana', data: omit('reason'), code: 'invalid-argument' },
      { name: 'an extra fee field', as: 'ana', data: { ...valid, fee: { amount: 0, currency: 'COP' } }, code: 'invalid-argument' },
      { name: 'appointmentId as a number', as: 'ana', data: { ...valid, appointmentId: 42 }, code: 'invalid-argument' },
      { name: 'a null payload', as: 'ana', data: null, code: 'invalid-argument' },
      { name: 'a null reason', as: 'ana', data: { ...valid, reason: null }, code: 'invalid-argument' },
      { name: 'an empty appointmentId', as: 'ana', data: { ...valid, appointmentId: '' }, code: 'invalid-argument' },
      { name: 'a 10 KB reason', as: 'ana', data: { ...valid, reason: 'x'.repeat(10 * 1024) }, code: 'invalid-argument' },
      { name: 'a path as appointmentId', as: 'ana', data: { ...valid, appointmentId: `${targetId()}/history/x` }, code: 'invalid-argument' },
      { name: 'an idempotency key that is not a UUID', as: 'ana', data: { ...valid, idempotencyKey: 'not-a-uuid' }, code: 'invalid-argument' },
      ...protoCases(valid, 'appointmentId', 'ana'),
      { name: "another patient's appointment", as: 'luis', data: valid, code: 'permission-denied' },
      { name: 'an appointment that does not exist', as: 'ana', data: { ...valid, appointmentId: 'no-such-appointment' }, code: 'permission-denied' },
      { name: 'staff of another clinic', as: 'staffIberia', data: valid, code: 'permission-denied' },
      { name: 'no sign-in', as: 'anonymous', data: valid, code: 'unauthenticated' },
      { name: 'an admin (wrong role)', as: 'admin', data: valid, code: 'permission-denied' },
    ];
  },
  bookTarget,
);

refusesAll(
  'rescheduleAppointment',
  () => {
    const valid = { appointmentId: targetId(), start: nth(targetSlots, 4).start.toISOString(), idempotencyKey: crypto.randomUUID() };
    const omit = (k: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k));
    return [
      { name: 'missing start', as: 'ana', data: omit('start'), code: 'invalid-argument' },
      { name: 'an extra status field', as: 'ana', data: { ...valid, status: 'confirmed' }, code: 'invalid-argument' },
      { name: 'start as a number', as: 'ana', data: { ...valid, start: Date.now() }, code: 'invalid-argument' },
      { name: 'a null payload', as: 'ana', data: null, code: 'invalid-argument' },
      { name: 'a null officeId', as: 'ana', data: { ...valid, officeId: null }, code: 'invalid-argument' },
      { name: 'an empty siteId', as: 'ana', data: { ...valid, siteId: '' }, code: 'invalid-argument' },
      { name: 'a 10 KB start', as: 'ana', data: { ...valid, start: '2'.repeat(10 * 1024) }, code: 'invalid-argument' },
      { name: 'a month 13', as: 'ana', data: { ...valid, start: '2031-13-01T09:00:00Z' }, code: 'invalid-argument' },
      { name: 'a negative duration', as: 'ana', data: { ...valid, durationMinutes: -5 }, code: 'invalid-argument' },
      { name: 'a client-chosen 240-minute duration', as: 'ana', data: { ...valid, durationMinutes: 240 }, code: 'invalid-argument' },
      { name: 'a client-chosen end', as: 'ana', data: { ...valid, end: new Date(Date.parse(valid.start) + 4 * 3_600_000).toISOString() }, code: 'invalid-argument' },
      { name: 'on 9999-12-27 (beyond the horizon)', as: 'ana', data: { ...valid, start: '9999-12-27T14:00:00Z' }, code: 'failed-precondition' },
      { name: 'a fractional duration', as: 'ana', data: { ...valid, durationMinutes: 12.5 }, code: 'invalid-argument' },
      { name: 'a slot in the past', as: 'ana', data: { ...valid, start: new Date(Date.now() - DAY_MS).toISOString() }, code: 'failed-precondition' },
      { name: 'outside hours', as: 'ana', data: { ...valid, start: `${nth(targetSlots, 0).localDate}T22:00:00-05:00` }, code: 'failed-precondition' },
      { name: 'an office the specialist does not have', as: 'ana', data: { ...valid, officeId: 'sede-2' }, code: 'not-found' },
      { name: 'a site without a price', as: 'ana', data: { ...valid, siteId: 'otro-portal' }, code: 'invalid-argument' },
      ...protoCases(valid, 'appointmentId', 'ana'),
      { name: "another patient's appointment", as: 'luis', data: valid, code: 'permission-denied' },
      { name: 'staff of another clinic', as: 'staffIberia', data: valid, code: 'permission-denied' },
      { name: 'no sign-in', as: 'anonymous', data: valid, code: 'unauthenticated' },
      { name: 'an admin (wrong role)', as: 'admin', data: valid, code: 'permission-denied' },
    ];
  },
  bookTarget,
);
