/** The booking form: its fields, the callable's request, the idempotency key's lifetime and error messages. Pure. */
import {
  bookAppointmentRequestSchema,
  hasForbiddenTextCharacter,
  phone,
  type BookAppointmentRequest,
  type FOR_WHOM,
  type VISIT_TYPES,
} from '@telesalud/domain';

export interface BookingForm {
  reason: string;
  visitType: (typeof VISIT_TYPES)[number];
  forWhom: (typeof FOR_WHOM)[number];
  dependantName: string;
  contactPhone: string;
}

export interface SlotChoice {
  specialistUid: string;
  officeId: string;
  siteId: string;
  start: Date;
}

export type BookingPayload = Omit<BookAppointmentRequest, 'idempotencyKey'>;

/** i18n keys of the form's field errors (empty when valid). */
export function formErrors(f: BookingForm): Partial<Record<keyof BookingForm, string>> {
  const errors: Partial<Record<keyof BookingForm, string>> = {};
  const reason = f.reason.trim();
  if (!reason) errors.reason = 'booking.form.required';
  else if (reason.length > 500) errors.reason = 'booking.form.tooLong';
  // The server's text schema refuses control, bidi and invisible characters: say which field before sending.
  else if (hasForbiddenTextCharacter(reason.normalize('NFC'), true)) errors.reason = 'booking.form.characters';
  if (f.forWhom === 'dependant') {
    const name = f.dependantName.trim();
    if (!name) errors.dependantName = 'booking.form.required';
    else if (name.length > 120) errors.dependantName = 'booking.form.tooLong';
    else if (hasForbiddenTextCharacter(name.normalize('NFC'), false)) errors.dependantName = 'booking.form.characters';
  }
  if (!phone.safeParse(f.contactPhone.trim()).success) errors.contactPhone = 'booking.form.phone';
  return errors;
}

/**
 * The request without its key, checked with the callable's own schema (key added as a placeholder UUID).
 * @throws Error when the form is not valid
 */
export function bookingPayload(f: BookingForm, slot: SlotChoice): BookingPayload {
  const payload: BookingPayload = {
    specialistUid: slot.specialistUid,
    officeId: slot.officeId,
    siteId: slot.siteId,
    start: slot.start.toISOString(),
    reason: f.reason.trim(),
    visitType: f.visitType,
    forWhom: f.forWhom,
    ...(f.forWhom === 'dependant' ? { dependantName: f.dependantName.trim() } : {}),
    contactPhone: f.contactPhone.trim(),
  };
  const checked = bookAppointmentRequestSchema.safeParse({ ...payload, idempotencyKey: '00000000-0000-4000-8000-000000000000' });
  if (!checked.success) throw new Error(`Invalid booking: ${checked.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return payload;
}

/** The idempotency key of one submission, reused for every retry of exactly that submission. */
export interface KeyedSubmission {
  fingerprint: string;
  key: string;
}

/**
 * The key for a payload: the same one while the payload is the same (a retry), a new one when it changed (a new
 * intent; the server would refuse a reused key with another payload).
 * @param previous - the last submission that has not succeeded, or null
 * @param payload - what is being sent now
 * @param newKey - makes a fresh UUID (crypto.randomUUID)
 */
export function keyFor(previous: KeyedSubmission | null, payload: BookingPayload, newKey: () => string): KeyedSubmission {
  const fingerprint = JSON.stringify(Object.entries(payload).sort(([a], [b]) => a.localeCompare(b)));
  return previous && previous.fingerprint === fingerprint ? previous : { fingerprint, key: newKey() };
}

/** What the page does after an error besides showing it. */
export type ErrorAction = 'pick-another' | 'retry' | 'fix-form' | 'sign-in' | 'none';

/**
 * Maps a callable error to a message key and an action.
 * @param e - what httpsCallable threw (FunctionsError: code 'functions/…', details.reason)
 */
export function bookingError(e: unknown): { key: string; action: ErrorAction } {
  const o = typeof e === 'object' && e !== null ? (e as { code?: unknown; details?: unknown }) : {};
  const code = typeof o.code === 'string' ? o.code.replace(/^functions\//, '') : '';
  const details = typeof o.details === 'object' && o.details !== null ? (o.details as { reason?: unknown }) : {};
  const reason = typeof details.reason === 'string' ? details.reason : '';
  switch (reason) {
    case 'slot-taken':
      return { key: 'booking.errors.slotTaken', action: 'pick-another' };
    case 'outside-hours':
      return { key: 'booking.errors.outsideHours', action: 'pick-another' };
    case 'slot-in-past':
      return { key: 'booking.errors.slotInPast', action: 'pick-another' };
    case 'too-soon':
      return { key: 'booking.errors.tooSoon', action: 'pick-another' };
    case 'too-far':
      return { key: 'booking.errors.tooFar', action: 'pick-another' };
    case 'too-many-with-specialist':
      return { key: 'booking.errors.tooManyWithSpecialist', action: 'none' };
    case 'too-many-bookings':
      return { key: 'booking.errors.tooManyBookings', action: 'none' };
    case 'doctor-not-accepting':
      return { key: 'booking.errors.notAccepting', action: 'none' };
    case 'own-booking':
      return { key: 'booking.errors.ownBooking', action: 'none' };
    case 'contention':
      return { key: 'booking.errors.contention', action: 'retry' };
  }
  switch (code) {
    case 'already-exists':
      return { key: 'booking.errors.slotTaken', action: 'pick-another' };
    case 'invalid-argument':
      return { key: 'booking.errors.invalid', action: 'fix-form' };
    case 'unauthenticated':
      return { key: 'booking.errors.signIn', action: 'sign-in' };
    case 'permission-denied':
      return { key: 'booking.errors.forbidden', action: 'none' };
    case 'failed-precondition':
      return { key: 'booking.errors.notAccepting', action: 'none' };
    case 'resource-exhausted':
      return { key: 'booking.errors.tooManyBookings', action: 'none' };
    case 'aborted':
    case 'unavailable':
    case 'deadline-exceeded':
      return { key: 'booking.errors.retry', action: 'retry' };
    default:
      return { key: 'booking.errors.generic', action: 'retry' };
  }
}
