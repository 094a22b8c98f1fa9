/**
 * What cancelling or rescheduling an appointment costs, under the clinic's policy
 * (clinic.policies.cancellationWindowHours and lateCancellationFee).
 *
 * - Patients cancel free of charge until `cancellationWindowHours` before the start, inclusive: at exactly 24 h before
 *   a 24 h window it is still free.
 * - Later, but before the start, the patient pays min(fee, price): kept from the payment when paid (refund = price −
 *   fee), charged otherwise (refund 0).
 * - From the start on, a patient cannot cancel: a visit that did not happen is a no-show, handled elsewhere.
 * - Specialists and staff may always cancel; the patient pays nothing and gets everything back.
 */
import { type Money } from '../model/common';

export type CancellationActor = 'patient' | 'specialist' | 'staff';

export interface CancellationPolicy {
  cancellationWindowHours: number;
  lateCancellationFee: Money;
}

export type CancellationReason =
  /** Patient, at or before the start of the window. */
  | 'free_window'
  /** Patient, inside the window and before the start: the fee applies. */
  | 'late_cancellation'
  /** Specialist or staff: always free for the patient. */
  | 'provider_cancellation'
  /** Patient, at or after the start: not allowed (no-show). */
  | 'already_started';

export interface CancellationOutcome {
  allowed: boolean;
  reason: CancellationReason;
  /** What the patient is charged (or keeps being charged) for cancelling; zero when not allowed. */
  fee: Money;
  /** What goes back to the patient; zero when unpaid or not allowed. */
  refund: Money;
}

export interface CancellationInput {
  appointmentStart: Date;
  now: Date;
  policy: CancellationPolicy;
  price: Money;
  paid: boolean;
  actor: CancellationActor;
}

/** Thrown when two amounts that must be combined are in different currencies. */
export class CurrencyMismatchError extends Error {
  override readonly name = 'CurrencyMismatchError';
  /** Currency of the price. */
  readonly expected: string;
  /** Currency of the other amount. */
  readonly actual: string;

  constructor(expected: string, actual: string, context: string) {
    super(`Currency mismatch: ${context} is in ${actual} but the appointment is priced in ${expected}`);
    this.expected = expected;
    this.actual = actual;
  }
}

const HOUR_MS = 3_600_000;

function time(d: Date, what: string): number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid ${what}: not a valid Date`);
  return ms;
}

function assertAmount(m: Money, what: string): void {
  if (!Number.isSafeInteger(m.amount) || m.amount < 0)
    throw new RangeError(`${what} must be a non-negative integer amount in minor units, got ${m.amount}`);
}

function windowStartMs(appointmentStart: Date, cancellationWindowHours: number): number {
  if (!Number.isFinite(cancellationWindowHours) || cancellationWindowHours < 0) {
    throw new RangeError(`cancellationWindowHours must be a non-negative number, got ${cancellationWindowHours}`);
  }
  return time(appointmentStart, 'appointmentStart') - cancellationWindowHours * HOUR_MS;
}

/**
 * Decides whether a cancellation is allowed and how much is charged and refunded.
 * @param input - appointment start, current time, clinic policy, the appointment's price, whether it was paid, and who cancels
 * @returns allowed, the reason code, the fee and the refund, both in the price's currency
 * @throws CurrencyMismatchError when the fee and the price are in different currencies (a configuration error, raised whoever
 *   cancels so it is found early); RangeError on invalid dates, window or amounts
 */
export function cancellationOutcome(input: CancellationInput): CancellationOutcome {
  const { policy, price, paid, actor } = input;
  const fee = policy.lateCancellationFee;
  if (fee.currency !== price.currency) {
    throw new CurrencyMismatchError(price.currency, fee.currency, 'the late-cancellation fee');
  }
  assertAmount(fee, 'lateCancellationFee');
  assertAmount(price, 'price');
  const windowStart = windowStartMs(input.appointmentStart, policy.cancellationWindowHours);
  const nowMs = time(input.now, 'now');
  const money = (amount: number): Money => ({ amount, currency: price.currency });
  const fullRefund = money(paid ? price.amount : 0);

  switch (actor) {
    case 'specialist':
    case 'staff':
      return { allowed: true, reason: 'provider_cancellation', fee: money(0), refund: fullRefund };
    case 'patient': {
      if (nowMs >= input.appointmentStart.getTime()) {
        return { allowed: false, reason: 'already_started', fee: money(0), refund: money(0) };
      }
      if (nowMs <= windowStart) return { allowed: true, reason: 'free_window', fee: money(0), refund: fullRefund };
      // The fee never exceeds what the visit costs.
      const charged = Math.min(fee.amount, price.amount);
      return {
        allowed: true,
        reason: 'late_cancellation',
        fee: money(charged),
        refund: money(paid ? price.amount - charged : 0),
      };
    }
  }
}

export interface RescheduleInput {
  appointmentStart: Date;
  now: Date;
  policy: Pick<CancellationPolicy, 'cancellationWindowHours'>;
  actor: CancellationActor;
}

export type RescheduleReason = 'free_window' | 'provider_reschedule' | 'inside_window' | 'already_started';

/**
 * Whether an appointment may be moved. Patients may reschedule within the same free window as cancellations (moving
 * a visit late would dodge the late-cancellation fee); specialists and staff always may.
 * @param input - appointment start, current time, the window, and who reschedules
 * @returns allowed and a reason code
 * @throws RangeError on invalid dates or window
 */
export function canReschedule(input: RescheduleInput): { allowed: boolean; reason: RescheduleReason } {
  const windowStart = windowStartMs(input.appointmentStart, input.policy.cancellationWindowHours);
  const nowMs = time(input.now, 'now');
  switch (input.actor) {
    case 'specialist':
    case 'staff':
      return { allowed: true, reason: 'provider_reschedule' };
    case 'patient':
      if (nowMs >= input.appointmentStart.getTime()) return { allowed: false, reason: 'already_started' };
      if (nowMs <= windowStart) return { allowed: true, reason: 'free_window' };
      return { allowed: false, reason: 'inside_window' };
  }
}
