import { describe, expect, it } from 'vitest';
import { type Money } from '../model/common';
import {
  type CancellationActor,
  type CancellationInput,
  cancellationOutcome,
  CurrencyMismatchError,
  canReschedule,
} from './cancellation';

const HOUR = 3_600_000;
const start = new Date('2024-09-07T14:00:00Z');
const before = (ms: number) => new Date(start.getTime() - ms);
const clp = (amount: number): Money => ({ amount, currency: 'CLP' });
const policy = { cancellationWindowHours: 24, lateCancellationFee: clp(10_000) };

function input(overrides: Partial<CancellationInput>): CancellationInput {
  return {
    appointmentStart: start,
    now: before(48 * HOUR),
    policy,
    price: clp(35_000),
    paid: true,
    actor: 'patient',
    ...overrides,
  };
}

describe('cancellationOutcome', () => {
  it.each<[string, Partial<CancellationInput>, { allowed: boolean; reason: string; fee: number; refund: number }]>([
    ['patient, well before the window, paid', {}, { allowed: true, reason: 'free_window', fee: 0, refund: 35_000 }],
    [
      'patient, well before the window, unpaid',
      { paid: false },
      { allowed: true, reason: 'free_window', fee: 0, refund: 0 },
    ],
    [
      'patient, exactly at the window start (still free)',
      { now: before(24 * HOUR) },
      { allowed: true, reason: 'free_window', fee: 0, refund: 35_000 },
    ],
    [
      'patient, 1 ms into the window, paid',
      { now: before(24 * HOUR - 1) },
      { allowed: true, reason: 'late_cancellation', fee: 10_000, refund: 25_000 },
    ],
    [
      'patient, late, unpaid: the fee is charged',
      { now: before(2 * HOUR), paid: false },
      { allowed: true, reason: 'late_cancellation', fee: 10_000, refund: 0 },
    ],
    [
      'patient, 1 ms before the start',
      { now: before(1) },
      { allowed: true, reason: 'late_cancellation', fee: 10_000, refund: 25_000 },
    ],
    [
      'patient, late, the fee is capped at the price',
      { now: before(HOUR), price: clp(8_000) },
      { allowed: true, reason: 'late_cancellation', fee: 8_000, refund: 0 },
    ],
    [
      'patient, late, fee equal to the price',
      { now: before(HOUR), price: clp(10_000) },
      { allowed: true, reason: 'late_cancellation', fee: 10_000, refund: 0 },
    ],
    [
      'patient, late, free visit',
      { now: before(HOUR), price: clp(0) },
      { allowed: true, reason: 'late_cancellation', fee: 0, refund: 0 },
    ],
    [
      'patient, late, policy without fee',
      { now: before(HOUR), policy: { cancellationWindowHours: 24, lateCancellationFee: clp(0) } },
      { allowed: true, reason: 'late_cancellation', fee: 0, refund: 35_000 },
    ],
    [
      'patient, at the start: a no-show matter',
      { now: start },
      { allowed: false, reason: 'already_started', fee: 0, refund: 0 },
    ],
    [
      'patient, after the start',
      { now: new Date(start.getTime() + HOUR) },
      { allowed: false, reason: 'already_started', fee: 0, refund: 0 },
    ],
    [
      'patient, window 0: free until the start',
      { now: before(60_000), policy: { cancellationWindowHours: 0, lateCancellationFee: clp(10_000) } },
      { allowed: true, reason: 'free_window', fee: 0, refund: 35_000 },
    ],
    [
      'patient, window 0, at the start',
      { now: start, policy: { cancellationWindowHours: 0, lateCancellationFee: clp(10_000) } },
      { allowed: false, reason: 'already_started', fee: 0, refund: 0 },
    ],
    [
      'patient, a 72 h window',
      { now: before(48 * HOUR), policy: { cancellationWindowHours: 72, lateCancellationFee: clp(10_000) } },
      { allowed: true, reason: 'late_cancellation', fee: 10_000, refund: 25_000 },
    ],
    [
      'specialist, late, paid',
      { actor: 'specialist', now: before(HOUR) },
      { allowed: true, reason: 'provider_cancellation', fee: 0, refund: 35_000 },
    ],
    [
      'staff, late, unpaid',
      { actor: 'staff', now: before(HOUR), paid: false },
      { allowed: true, reason: 'provider_cancellation', fee: 0, refund: 0 },
    ],
    [
      'specialist, after the start (e.g. could not attend)',
      { actor: 'specialist', now: new Date(start.getTime() + 10 * 60_000) },
      { allowed: true, reason: 'provider_cancellation', fee: 0, refund: 35_000 },
    ],
    [
      'staff, well before',
      { actor: 'staff' },
      { allowed: true, reason: 'provider_cancellation', fee: 0, refund: 35_000 },
    ],
  ])('%s', (_name, overrides, want) => {
    expect(cancellationOutcome(input(overrides))).toEqual({
      allowed: want.allowed,
      reason: want.reason,
      fee: clp(want.fee),
      refund: clp(want.refund),
    });
  });

  it('never refunds more than was paid nor charges more than the price (sweep over time, actors and payment)', () => {
    for (let minutesBefore = -120; minutesBefore <= 30 * 60; minutesBefore += 7) {
      for (const actor of ['patient', 'specialist', 'staff'] as const) {
        for (const paid of [true, false]) {
          const o = cancellationOutcome(input({ now: before(minutesBefore * 60_000), actor, paid }));
          expect(o.fee.amount + o.refund.amount).toBeLessThanOrEqual(35_000);
          expect(o.refund.amount).toBeLessThanOrEqual(paid ? 35_000 : 0);
          if (!o.allowed) expect([o.fee.amount, o.refund.amount]).toEqual([0, 0]);
          // When paid and allowed, the payment is split between fee and refund, nothing lost.
          if (paid && o.allowed) expect(o.fee.amount + o.refund.amount).toBe(35_000);
        }
      }
    }
  });

  it.each<CancellationActor>(['patient', 'specialist', 'staff'])(
    'throws a CurrencyMismatchError for %s when fee and price differ',
    (actor) => {
      const call = () =>
        cancellationOutcome(
          input({
            actor,
            price: { amount: 35_000, currency: 'CLP' },
            policy: { cancellationWindowHours: 24, lateCancellationFee: { amount: 1_000, currency: 'USD' } },
          }),
        );
      expect(call).toThrow(CurrencyMismatchError);
      expect(call).toThrow(
        'Currency mismatch: the late-cancellation fee is in USD but the appointment is priced in CLP',
      );
    },
  );

  it.each<[string, Partial<CancellationInput>]>([
    ['an invalid start', { appointmentStart: new Date(Number.NaN) }],
    ['an invalid now', { now: new Date('x') }],
    ['a negative window', { policy: { cancellationWindowHours: -1, lateCancellationFee: clp(0) } }],
    ['a negative price', { price: clp(-1) }],
    ['a fractional fee', { policy: { cancellationWindowHours: 24, lateCancellationFee: clp(10.5) } }],
  ])('rejects %s', (_name, overrides) => {
    expect(() => cancellationOutcome(input(overrides))).toThrow(RangeError);
  });
});

describe('canReschedule', () => {
  it.each<[CancellationActor, number, number, boolean, string]>([
    ['patient', 48 * HOUR, 24, true, 'free_window'],
    ['patient', 24 * HOUR, 24, true, 'free_window'],
    ['patient', 24 * HOUR - 1, 24, false, 'inside_window'],
    ['patient', HOUR, 24, false, 'inside_window'],
    ['patient', 0, 24, false, 'already_started'],
    ['patient', -HOUR, 24, false, 'already_started'],
    ['patient', 1, 0, true, 'free_window'],
    ['patient', 0, 0, false, 'already_started'],
    ['specialist', HOUR, 24, true, 'provider_reschedule'],
    ['staff', -HOUR, 24, true, 'provider_reschedule'],
  ])('%s, %i ms before, window %i h → %s', (actor, msBefore, windowHours, allowed, reason) => {
    expect(
      canReschedule({
        appointmentStart: start,
        now: before(msBefore),
        policy: { cancellationWindowHours: windowHours },
        actor,
      }),
    ).toEqual({
      allowed,
      reason,
    });
  });

  it('uses the same boundary as cancellation for patients', () => {
    for (let minutesBefore = 0; minutesBefore <= 26 * 60; minutesBefore += 1) {
      const now = before(minutesBefore * 60_000);
      const free = cancellationOutcome(input({ now })).reason === 'free_window';
      expect(canReschedule({ appointmentStart: start, now, policy, actor: 'patient' }).allowed).toBe(free);
    }
  });

  it('rejects an invalid window', () => {
    expect(() =>
      canReschedule({
        appointmentStart: start,
        now: start,
        policy: { cancellationWindowHours: Number.NaN },
        actor: 'staff',
      }),
    ).toThrow(RangeError);
  });
});
