/**
 * availabilityRequests/{requestId}: a patient asks a specialist for a time outside the offered slots; the specialist (or
 * the clinic's staff) answers with a proposal, which is an appointment in 'proposed' holding its slot locks.
 * Server-written through requestAvailability / proposeTime / answerProposal; the two parties read it.
 */
import { z } from 'zod';
import { compareTimestamps, id, MODALITIES, longText, money, timeZone, timestampSchema } from './common';
import { APPOINTMENT_ACTORS, bookingDetailsFields, type AppointmentActor } from './appointment';

export const AVAILABILITY_REQUEST_STATUSES = ['open', 'proposed', 'accepted', 'declined', 'expired'] as const;
export type AvailabilityRequestStatus = (typeof AVAILABILITY_REQUEST_STATUSES)[number];

/**
 * Moves of a request, by actor. The specialist side proposes or declines an open request; the patient accepts or
 * declines a proposal; the system expires whatever nobody answered by `expiresAt`.
 */
export const AVAILABILITY_REQUEST_TRANSITIONS = {
  open: [
    { to: 'proposed', actors: ['specialist', 'staff'] },
    { to: 'declined', actors: ['patient', 'specialist', 'staff'] },
    { to: 'expired', actors: ['system'] },
  ],
  proposed: [
    { to: 'accepted', actors: ['patient'] },
    { to: 'declined', actors: ['patient'] },
    { to: 'expired', actors: ['system'] },
  ],
  accepted: [],
  declined: [],
  expired: [],
} as const satisfies Record<
  AvailabilityRequestStatus,
  readonly { readonly to: AvailabilityRequestStatus; readonly actors: readonly AppointmentActor[] }[]
>;

/**
 * Whether `actor` may move a request from `from` to `to`.
 * @param from - the current status
 * @param to - the requested status
 * @param actor - who acts
 */
export function canTransitionRequest(
  from: AvailabilityRequestStatus,
  to: AvailabilityRequestStatus,
  actor: AppointmentActor,
): boolean {
  const rules: readonly { to: AvailabilityRequestStatus; actors: readonly AppointmentActor[] }[] =
    AVAILABILITY_REQUEST_TRANSITIONS[from];
  return rules.some((t) => t.to === to && t.actors.includes(actor));
}

const window = z
  .strictObject({ start: timestampSchema, end: timestampSchema })
  .refine((w) => compareTimestamps(w.start, w.end) < 0, { message: 'End before start', path: ['end'] });

/** What the specialist side offered; `appointmentId` is the 'proposed' appointment that holds the time. */
export const proposalSchema = z
  .strictObject({
    appointmentId: id,
    officeId: id,
    siteId: id,
    start: timestampSchema,
    end: timestampSchema,
    price: money,
    message: longText(1000).optional(),
    proposedBy: id,
    proposedByRole: z.enum(APPOINTMENT_ACTORS).exclude(['patient', 'system']),
    proposedAt: timestampSchema,
  })
  .refine((p) => compareTimestamps(p.start, p.end) < 0, { message: 'End before start', path: ['end'] });
export type Proposal = z.infer<typeof proposalSchema>;

export const availabilityRequestSchema = z
  .strictObject({
    patientUid: id,
    specialistUid: id,
    clinicId: id.optional(),
    modality: z.enum(MODALITIES),
    officeId: id.optional(),
    /** When the patient could come, most preferred first. */
    preferredWindows: z.array(window).min(1).max(5),
    /** The patient's zone, to show the proposal in the patient's own wall time. */
    timeZone,
    message: longText(1000).optional(),
    // What the booking needs, captured now so that accepting a proposal is one tap.
    ...bookingDetailsFields,
    status: z.enum(AVAILABILITY_REQUEST_STATUSES),
    proposal: proposalSchema.optional(),
    declineReason: longText(500).optional(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    expiresAt: timestampSchema,
  })
  .superRefine((r, ctx) => {
    const fail = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (r.patientUid === r.specialistUid) fail('A specialist cannot ask themselves', 'patientUid');
    if ((r.forWhom === 'dependant') !== (r.dependantName !== undefined))
      fail('Dependant name iff for a dependant', 'dependantName');
    // A proposal exists from 'proposed' on; a request declined while still open never had one.
    if (r.status === 'open' && r.proposal !== undefined) fail('An open request has no proposal', 'proposal');
    if ((r.status === 'proposed' || r.status === 'accepted') && r.proposal === undefined)
      fail('Proposal missing', 'proposal');
  });
export type AvailabilityRequest = z.infer<typeof availabilityRequestSchema>;
