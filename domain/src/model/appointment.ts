/**
 * appointments/{appointmentId}, its status machine, and appointments/{appointmentId}/history/{entryId}.
 * Every write is the server's (callables, the payment webhook, schedulers); clients read their own appointments.
 */
import { z } from 'zod';
import {
  compareTimestamps,
  id,
  longText,
  MODALITIES,
  money,
  PAYMENT_POLICIES,
  phone,
  safeRecord,
  shortText,
  timeZone,
  timestampSchema,
  type PaymentPolicy,
} from './common';
import { REMINDER_CHANNELS } from '../scheduling/reminders';

export const APPOINTMENT_STATUSES = [
  'proposed',
  'pending_payment',
  'confirmed',
  'completed',
  'no_show',
  'cancelled',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Who moves an appointment. 'system' is the server acting on its own (webhooks, deadlines) or for an admin. */
export const APPOINTMENT_ACTORS = ['patient', 'specialist', 'staff', 'system'] as const;
export type AppointmentActor = (typeof APPOINTMENT_ACTORS)[number];

export const VISIT_TYPES = ['first', 'follow_up'] as const;
export const FOR_WHOM = ['self', 'dependant'] as const;

/**
 * What the patient says when asking for a visit, the same on a booking request, an availability request and the
 * appointment itself (`dependantName` is present exactly when the visit is for a dependant; each schema checks it).
 */
export const bookingDetailsFields = {
  reason: longText(500),
  visitType: z.enum(VISIT_TYPES),
  forWhom: z.enum(FOR_WHOM),
  dependantName: shortText(120).optional(),
  contactPhone: phone,
};

/** One allowed move: to which status, by whom, and under which payment policy when it matters. */
export interface AppointmentTransition {
  readonly to: AppointmentStatus;
  readonly actors: readonly AppointmentActor[];
  readonly paymentPolicy?: PaymentPolicy;
}

/**
 * The status machine. 'proposed' comes from a specialist's (or their staff's) answer to an availability request, so
 * only the patient accepts it: into payment for prepaid visits, straight to confirmed when paid at the visit.
 * Payment is confirmed only by the system (the Stripe webhook); attendance only by the specialist side.
 * completed, no_show and cancelled are terminal.
 */
export const APPOINTMENT_TRANSITIONS = {
  proposed: [
    { to: 'pending_payment', actors: ['patient'], paymentPolicy: 'prepay' },
    { to: 'confirmed', actors: ['patient'], paymentPolicy: 'pay_at_visit' },
    { to: 'cancelled', actors: ['patient', 'specialist', 'staff', 'system'] },
  ],
  pending_payment: [
    { to: 'confirmed', actors: ['system'] },
    { to: 'cancelled', actors: ['patient', 'specialist', 'staff', 'system'] },
  ],
  confirmed: [
    { to: 'completed', actors: ['specialist', 'staff'] },
    { to: 'no_show', actors: ['specialist', 'staff'] },
    { to: 'cancelled', actors: ['patient', 'specialist', 'staff', 'system'] },
  ],
  completed: [],
  no_show: [],
  cancelled: [],
} as const satisfies Record<AppointmentStatus, readonly AppointmentTransition[]>;

/**
 * The statuses an actor may move an appointment to.
 * @param from - the current status
 * @param actor - who acts
 * @param paymentPolicy - the appointment's payment policy (some moves exist for one policy only)
 */
export function allowedTransitions(
  from: AppointmentStatus,
  actor: AppointmentActor,
  paymentPolicy: PaymentPolicy,
): AppointmentStatus[] {
  const rules: readonly AppointmentTransition[] = APPOINTMENT_TRANSITIONS[from];
  return rules
    .filter((t) => t.actors.includes(actor) && (t.paymentPolicy === undefined || t.paymentPolicy === paymentPolicy))
    .map((t) => t.to);
}

/**
 * Whether `actor` may move an appointment from `from` to `to`. The policy is required, not optional: without it
 * "proposed → confirmed" would be allowed for a prepaid visit that was never paid.
 * @param from - the current status
 * @param to - the requested status
 * @param actor - who acts
 * @param paymentPolicy - the appointment's payment policy
 */
export function canTransition(
  from: AppointmentStatus,
  to: AppointmentStatus,
  actor: AppointmentActor,
  paymentPolicy: PaymentPolicy,
): boolean {
  return allowedTransitions(from, actor, paymentPolicy).includes(to);
}

/**
 * Whether no move leaves this status.
 * @param status - the status to test
 */
export function isTerminalStatus(status: AppointmentStatus): boolean {
  return APPOINTMENT_TRANSITIONS[status].length === 0;
}

/** How an appointment comes to exist: a booking of an offered slot, or a proposal answering an availability request. */
export type AppointmentOrigin = 'booking' | 'proposal';

/**
 * The status an appointment is created in (the history's first entry has `from: null`).
 * @param origin - booking (bookAppointment) or proposal (proposeTime)
 * @param paymentPolicy - the specialist's policy, copied onto the appointment
 */
export function initialAppointmentStatus(origin: AppointmentOrigin, paymentPolicy: PaymentPolicy): AppointmentStatus {
  if (origin === 'proposal') return 'proposed';
  return paymentPolicy === 'prepay' ? 'pending_payment' : 'confirmed';
}
const INITIAL_STATUSES: readonly AppointmentStatus[] = ['proposed', 'pending_payment', 'confirmed'];

/** A cancellation: who, when, and the money outcome the server computed from the clinic's policy. */
export const cancellationSchema = z
  .strictObject({
    /** The uid of the person who cancelled, or null when the system did (payment deadline, suspension). */
    by: id.nullable(),
    role: z.enum(APPOINTMENT_ACTORS),
    at: timestampSchema,
    fee: money,
    refund: money,
    reason: longText(500),
  })
  .refine((c) => (c.role === 'system') === (c.by === null), {
    message: 'Only the system cancels without a uid',
    path: ['by'],
  });
export type Cancellation = z.infer<typeof cancellationSchema>;

/**
 * The "already sent" markers of reminders, keyed by `Reminder.key` from scheduling/reminders ('1440m:sms'); the marker is
 * written in the same transaction that queues the message, so a re-run of the scheduler never sends twice.
 */
const reminderKey = z
  .string()
  .regex(new RegExp(`^[1-9][0-9]{0,5}m:(${REMINDER_CHANNELS.join('|')})$`), 'Expected a reminder key');

export const appointmentSchema = z
  .strictObject({
    patientUid: id,
    specialistUid: id,
    /** Set when the specialist books under a clinic, so its staff see and manage the appointment. */
    clinicId: id.optional(),
    officeId: id,
    siteId: id,
    modality: z.enum(MODALITIES),
    start: timestampSchema,
    end: timestampSchema,
    /** The office's zone, copied so that reminders and calendars render the wall time the patient booked. */
    timeZone,
    ...bookingDetailsFields,
    /** Computed by the server from the office's price for the site; never taken from the client. */
    price: money,
    paymentPolicy: z.enum(PAYMENT_POLICIES),
    status: z.enum(APPOINTMENT_STATUSES),
    /** While pending_payment: the system cancels and frees the slot after this. */
    paymentDueAt: timestampSchema.optional(),
    /** Set when the appointment answers an availability request. */
    availabilityRequestId: id.optional(),
    /** The video channel, created by the server for video visits; unique per appointment and not guessable. */
    videoRoom: z.strictObject({ channel: id, createdAt: timestampSchema }).optional(),
    /** The client's key for bookAppointment, so a retried booking returns the same appointment. */
    idempotencyKey: z.uuid(),
    remindersSent: safeRecord(reminderKey, timestampSchema, 30).optional(),
    cancellation: cancellationSchema.optional(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .superRefine((a, ctx) => {
    const fail = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (compareTimestamps(a.start, a.end) >= 0) fail('End before start', 'end');
    if (a.patientUid === a.specialistUid) fail('A specialist cannot book themselves', 'patientUid');
    if ((a.forWhom === 'dependant') !== (a.dependantName !== undefined))
      fail('Dependant name iff for a dependant', 'dependantName');
    if (a.videoRoom !== undefined && a.modality !== 'video') fail('Only video visits have a room', 'videoRoom');
    if (a.paymentDueAt !== undefined && a.paymentPolicy !== 'prepay')
      fail('Only prepaid visits have a deadline', 'paymentDueAt');
    if ((a.status === 'cancelled') !== (a.cancellation !== undefined))
      fail('Cancellation iff cancelled', 'cancellation');
    const c = a.cancellation;
    if (c) {
      if (c.fee.currency !== a.price.currency || c.refund.currency !== a.price.currency)
        fail('Currency differs from the price', 'cancellation');
      if (c.fee.amount + c.refund.amount > a.price.amount) fail('Fee and refund exceed the price', 'cancellation');
    }
  });
export type Appointment = z.infer<typeof appointmentSchema>;

/** Statuses in which the time may still move (a proposal is answered with a new proposal instead). */
export const RESCHEDULABLE_STATUSES = ['pending_payment', 'confirmed'] as const satisfies readonly AppointmentStatus[];
const RESCHEDULABLE: readonly AppointmentStatus[] = RESCHEDULABLE_STATUSES;

/**
 * Whether a history entry records a legal move: a creation, a transition of the table for that actor (under either
 * policy: the entry does not repeat the appointment's), or a reschedule that keeps the status.
 */
function isLegalHistoryMove(h: {
  from: AppointmentStatus | null;
  to: AppointmentStatus;
  role: AppointmentActor;
  rescheduled: boolean;
}): boolean {
  if (h.from === null) return !h.rescheduled && INITIAL_STATUSES.includes(h.to);
  if (h.rescheduled) return h.from === h.to && RESCHEDULABLE.includes(h.from);
  const from = h.from;
  return PAYMENT_POLICIES.some((p) => canTransition(from, h.to, h.role, p));
}

/**
 * appointments/{id}/history/{entryId}: append-only, server-written; one entry for the creation, each status change and
 * each reschedule (status unchanged, `rescheduledFrom` holding the old time).
 */
export const appointmentHistoryEntrySchema = z
  .strictObject({
    at: timestampSchema,
    by: id.nullable(),
    role: z.enum(APPOINTMENT_ACTORS),
    /** null on the entry that records the creation. */
    from: z.enum(APPOINTMENT_STATUSES).nullable(),
    to: z.enum(APPOINTMENT_STATUSES),
    rescheduledFrom: z.strictObject({ start: timestampSchema, end: timestampSchema }).optional(),
    note: longText(500).optional(),
  })
  .superRefine((h, ctx) => {
    if ((h.role === 'system') !== (h.by === null)) {
      ctx.addIssue({ code: 'custom', message: 'Only the system acts without a uid', path: ['by'] });
    }
    if (!isLegalHistoryMove({ from: h.from, to: h.to, role: h.role, rescheduled: h.rescheduledFrom !== undefined })) {
      ctx.addIssue({ code: 'custom', message: 'Not a legal move', path: ['to'] });
    }
  });
export type AppointmentHistoryEntry = z.infer<typeof appointmentHistoryEntrySchema>;
