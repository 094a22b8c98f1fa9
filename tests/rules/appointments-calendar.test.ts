/**
 * The specialist's calendar query under the real firestore.rules: appointments where specialistUid == me and start in
 * the visible range, by start. The query is the web app's own (web/src/data/appointment-queries.ts), run with its
 * converter. Rules are not filters: a query that could return someone else's appointment is refused whole, whoever
 * runs it and whatever the data.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import { collection, doc, getDocs, onSnapshot, query, setDoc, Timestamp, updateDoc, where, type Firestore } from 'firebase/firestore';
import { appointmentSchema, paths } from '../../domain/src';
import { specialistAppointmentsQuery, type AppointmentView } from '../../web/src/data/appointment-queries';
import { startRulesEnv, type RulesEnv } from './support/env';

const CLINIC = 'andina';
const UID = { lopez: 'esp-lopez', ruiz: 'esp-ruiz', ana: 'p-ana', beto: 'p-beto', staff: 'staff-andina' } as const;
const CLAIMS = {
  specialist: { roles: ['specialist'], clinicIds: [CLINIC] },
  patient: { roles: ['patient'] },
  staff: { roles: ['staff'], clinicIds: [CLINIC] },
};
// The week the calendar shows: [Mon 2027-01-11 00:00, Mon 2027-01-18 00:00) in Bogotá.
const FROM = new Date('2027-01-11T05:00:00Z');
const TO = new Date('2027-01-18T05:00:00Z');
const CREATED = Timestamp.fromDate(new Date('2027-01-04T15:00:00Z'));

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv('demo-rules-appointments-calendar');
});
afterAll(async () => env?.close());

/** A valid appointment (checked by the domain schema, as the converter will check it) starting at `start`. */
function appointment(o: { patientUid: string; specialistUid: string; start: string; key: string } & Record<string, unknown>) {
  const { start, key, ...rest } = o;
  const s = new Date(start);
  return appointmentSchema.parse({
    clinicId: CLINIC,
    officeId: 'bogota-centro',
    siteId: 'telesalud',
    modality: 'in_person',
    start: Timestamp.fromDate(s),
    end: Timestamp.fromDate(new Date(s.getTime() + 30 * 60_000)),
    timeZone: 'America/Bogota',
    reason: 'Control de acné',
    visitType: 'follow_up',
    forWhom: 'self',
    contactPhone: '+57 300 555 0101',
    price: { amount: 180000, currency: 'COP' },
    paymentPolicy: 'pay_at_visit',
    status: 'confirmed',
    idempotencyKey: key,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...rest,
  });
}

const SEEDED = {
  'lopez-mon': appointment({ patientUid: UID.ana, specialistUid: UID.lopez, start: '2027-01-11T14:00:00Z', key: '0b5a1f9e-0c1d-4e2f-8a3b-4c5d6e7f8a01' }),
  'lopez-dependant': appointment({
    patientUid: UID.beto,
    specialistUid: UID.lopez,
    start: '2027-01-13T20:00:00Z',
    key: '0b5a1f9e-0c1d-4e2f-8a3b-4c5d6e7f8a02',
    modality: 'video',
    visitType: 'first',
    forWhom: 'dependant',
    dependantName: 'Tomás Beltrán',
    paymentPolicy: 'prepay',
    status: 'pending_payment',
    paymentDueAt: Timestamp.fromDate(new Date('2027-01-12T20:00:00Z')),
  }),
  'lopez-cancelled': appointment({
    patientUid: UID.ana,
    specialistUid: UID.lopez,
    start: '2027-01-15T15:00:00Z',
    key: '0b5a1f9e-0c1d-4e2f-8a3b-4c5d6e7f8a03',
    status: 'cancelled',
    cancellation: { by: UID.ana, role: 'patient', at: CREATED, fee: { amount: 0, currency: 'COP' }, refund: { amount: 0, currency: 'COP' }, reason: 'Viaje' },
  }),
  // Starts exactly at the end of the range: the range is half-open, so it belongs to next week.
  'lopez-next-week': appointment({ patientUid: UID.ana, specialistUid: UID.lopez, start: TO.toISOString(), key: '0b5a1f9e-0c1d-4e2f-8a3b-4c5d6e7f8a04' }),
  'lopez-last-week': appointment({ patientUid: UID.beto, specialistUid: UID.lopez, start: '2027-01-08T14:00:00Z', key: '0b5a1f9e-0c1d-4e2f-8a3b-4c5d6e7f8a05' }),
  'ruiz-mon': appointment({ patientUid: UID.beto, specialistUid: UID.ruiz, start: '2027-01-11T15:00:00Z', key: '0b5a1f9e-0c1d-4e2f-8a3b-4c5d6e7f8a06' }),
};

beforeEach(async () => {
  await env.testEnv.clearFirestore();
  await env.admin(async (db) => {
    for (const [id, data] of Object.entries(SEEDED)) await setDoc(doc(db, paths.appointment(id)), data);
    await setDoc(doc(db, paths.clinicMember(CLINIC, UID.staff)), { role: 'staff', displayName: 'Paula Castro', active: true, grantedAt: CREATED, grantedBy: 'seed' });
  });
});

const calendarOf = (db: Firestore, specialistUid: string) => getDocs(specialistAppointmentsQuery(db, specialistUid, FROM, TO));

describe('the specialist', () => {
  const me = () => env.as(UID.lopez, CLAIMS.specialist);

  it("runs the calendar's query for their own uid and gets that week's appointments, cancelled ones too, by start", async () => {
    const snap = await assertSucceeds(calendarOf(me(), UID.lopez));
    const got = snap.docs.map((d) => d.data());
    expect(got.map((a) => a.id)).toEqual(['lopez-mon', 'lopez-dependant', 'lopez-cancelled']);
    expect(got.map((a) => a.status)).toEqual(['confirmed', 'pending_payment', 'cancelled']);
    // What the calendar shows of the booking comes through the converter.
    expect(got[1]).toMatchObject({ visitType: 'first', forWhom: 'dependant', dependantName: 'Tomás Beltrán', modality: 'video', timeZone: 'America/Bogota' });
    expect(got[1]?.start).toEqual(new Date('2027-01-13T20:00:00Z'));
  });

  it("cannot run it for another specialist's uid, even in a week where that one has appointments", async () => {
    await assertFails(calendarOf(me(), UID.ruiz));
  });

  it('hears a new booking and a cancellation on the open listener', async () => {
    const snapshots: AppointmentView[][] = [];
    let wake: () => void = () => {};
    const stop = onSnapshot(specialistAppointmentsQuery(me(), UID.lopez, FROM, TO), (s) => {
      snapshots.push(s.docs.map((d) => d.data()));
      wake();
    });
    const nextSnapshot = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no snapshot #${n}`)), 10_000);
        wake = () => {
          if (snapshots.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        wake();
      });
    try {
      await nextSnapshot(1);
      expect(snapshots[0]?.map((a) => a.id)).toEqual(['lopez-mon', 'lopez-dependant', 'lopez-cancelled']);
      // The booking callable writes a new appointment (here: the admin, as the server does).
      const booked = appointment({ patientUid: UID.beto, specialistUid: UID.lopez, start: '2027-01-12T16:00:00Z', key: '0b5a1f9e-0c1d-4e2f-8a3b-4c5d6e7f8a07' });
      await env.admin((db) => setDoc(doc(db, paths.appointment('lopez-booked')), booked));
      await nextSnapshot(2);
      expect(snapshots[1]?.map((a) => a.id)).toEqual(['lopez-mon', 'lopez-booked', 'lopez-dependant', 'lopez-cancelled']);
      // ...and the cancellation callable moves it to cancelled.
      await env.admin((db) =>
        updateDoc(doc(db, paths.appointment('lopez-booked')), {
          status: 'cancelled',
          cancellation: { by: UID.beto, role: 'patient', at: CREATED, fee: { amount: 0, currency: 'COP' }, refund: { amount: 0, currency: 'COP' }, reason: 'No puedo' },
        }),
      );
      await nextSnapshot(3);
      expect(snapshots[2]?.find((a) => a.id === 'lopez-booked')?.status).toBe('cancelled');
    } finally {
      stop();
    }
  });
});

describe('another specialist', () => {
  it("cannot read the first specialist's calendar", async () => {
    await assertFails(calendarOf(env.as(UID.ruiz, CLAIMS.specialist), UID.lopez));
  });
});

describe('a patient', () => {
  it("cannot run a specialist's calendar query, not even one they have an appointment with", async () => {
    await assertFails(calendarOf(env.as(UID.ana, CLAIMS.patient), UID.lopez));
  });
});

describe('staff of the clinic', () => {
  const staff = () => env.as(UID.staff, CLAIMS.staff);
  it("cannot list by specialistUid: the rules only let staff list on the clinic's id", async () => {
    // Control: the membership is active, so the same week filtered on clinicId is theirs to read.
    await assertSucceeds(getDocs(query(collection(staff(), paths.appointments()), where('clinicId', '==', CLINIC), where('start', '>=', Timestamp.fromDate(FROM)))));
    await assertFails(calendarOf(staff(), UID.lopez));
  });
});

describe('anonymous', () => {
  it('cannot run the calendar query', async () => {
    await assertFails(calendarOf(env.anon(), UID.lopez));
  });
});
