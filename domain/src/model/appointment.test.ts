import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  APPOINTMENT_ACTORS,
  APPOINTMENT_STATUSES,
  canTransition,
  initialAppointmentStatus,
  isTerminalStatus,
  type AppointmentActor,
  type AppointmentStatus,
} from './appointment';
import {
  AVAILABILITY_REQUEST_STATUSES,
  canTransitionRequest,
  type AvailabilityRequestStatus,
} from './availability-request';
import { PAYMENT_POLICIES, type PaymentPolicy } from './common';

// The specification, written out move by move rather than derived from APPOINTMENT_TRANSITIONS, so that a change to the
// table has to be made twice on purpose. "from>to actor policy".
const ALLOWED = new Set([
  'proposed>pending_payment patient prepay',
  'proposed>confirmed patient pay_at_visit',
  ...['prepay', 'pay_at_visit'].flatMap((p) => [
    ...['patient', 'specialist', 'staff', 'system'].map((a) => `proposed>cancelled ${a} ${p}`),
    `pending_payment>confirmed system ${p}`,
    ...['patient', 'specialist', 'staff', 'system'].map((a) => `pending_payment>cancelled ${a} ${p}`),
    ...['specialist', 'staff'].map((a) => `confirmed>completed ${a} ${p}`),
    ...['specialist', 'staff'].map((a) => `confirmed>no_show ${a} ${p}`),
    ...['patient', 'specialist', 'staff', 'system'].map((a) => `confirmed>cancelled ${a} ${p}`),
  ]),
]);

const every: [AppointmentStatus, AppointmentStatus, AppointmentActor, PaymentPolicy, boolean][] =
  APPOINTMENT_STATUSES.flatMap((from) =>
    APPOINTMENT_STATUSES.flatMap((to) =>
      APPOINTMENT_ACTORS.flatMap((actor) =>
        PAYMENT_POLICIES.map(
          (policy) =>
            [from, to, actor, policy, ALLOWED.has(`${from}>${to} ${actor} ${policy}`)] as [
              AppointmentStatus,
              AppointmentStatus,
              AppointmentActor,
              PaymentPolicy,
              boolean,
            ],
        ),
      ),
    ),
  );

describe('appointment status machine', () => {
  it('covers every pair of statuses, every actor and every policy', () => {
    expect(every).toHaveLength(6 * 6 * 4 * 2);
    expect(every.filter((row) => row[4])).toHaveLength(ALLOWED.size);
  });

  it.each(every)('%s → %s by %s (%s): %s', (from, to, actor, policy, allowed) => {
    expect(canTransition(from, to, actor, policy)).toBe(allowed);
    expect(allowedTransitions(from, actor, policy).includes(to)).toBe(allowed);
  });

  it.each([
    ['completed', true],
    ['no_show', true],
    ['cancelled', true],
    ['proposed', false],
    ['pending_payment', false],
    ['confirmed', false],
  ] as const)('%s is terminal: %s', (status, terminal) => {
    expect(isTerminalStatus(status)).toBe(terminal);
  });

  it.each([
    ['booking', 'prepay', 'pending_payment'],
    ['booking', 'pay_at_visit', 'confirmed'],
    ['proposal', 'prepay', 'proposed'],
    ['proposal', 'pay_at_visit', 'proposed'],
  ] as const)('a %s with %s starts as %s', (origin, policy, status) => {
    expect(initialAppointmentStatus(origin, policy)).toBe(status);
  });
});

const REQUEST_ALLOWED = new Set([
  'open>proposed specialist',
  'open>proposed staff',
  'open>declined patient',
  'open>declined specialist',
  'open>declined staff',
  'open>expired system',
  'proposed>accepted patient',
  'proposed>declined patient',
  'proposed>expired system',
]);

const everyRequest: [AvailabilityRequestStatus, AvailabilityRequestStatus, AppointmentActor, boolean][] =
  AVAILABILITY_REQUEST_STATUSES.flatMap((from) =>
    AVAILABILITY_REQUEST_STATUSES.flatMap((to) =>
      APPOINTMENT_ACTORS.map(
        (actor) =>
          [from, to, actor, REQUEST_ALLOWED.has(`${from}>${to} ${actor}`)] as [
            AvailabilityRequestStatus,
            AvailabilityRequestStatus,
            AppointmentActor,
            boolean,
          ],
      ),
    ),
  );

describe('availability request status machine', () => {
  it.each(everyRequest)('%s → %s by %s: %s', (from, to, actor, allowed) => {
    expect(canTransitionRequest(from, to, actor)).toBe(allowed);
  });
});
