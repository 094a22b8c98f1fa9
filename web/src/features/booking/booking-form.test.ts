import { describe, expect, it } from 'vitest';
import { bookingError, bookingPayload, formErrors, keyFor, type BookingForm } from './booking-form';

const form: BookingForm = { reason: ' Control de lunares ', visitType: 'first', forWhom: 'self', dependantName: '', contactPhone: '+57 300 555 0101' };
const slot = { specialistUid: 'esp-valentina-rojas', officeId: 'principal', siteId: 'telesalud', start: new Date('2027-01-15T14:00:00Z') };

describe('booking form', () => {
  it('validates reason, dependant name and phone', () => {
    expect(formErrors(form)).toEqual({});
    expect(formErrors({ ...form, reason: '  ', forWhom: 'dependant', contactPhone: 'abc' })).toEqual({
      reason: 'booking.form.required',
      dependantName: 'booking.form.required',
      contactPhone: 'booking.form.phone',
    });
  });

  it('refuses control, bidi and invisible characters as the server does; a reason may span lines, a name may not', () => {
    expect(formErrors({ ...form, reason: 'Dolor\ndesde ayer' })).toEqual({});
    expect(formErrors({ ...form, reason: 'Dolor\u0000' })).toEqual({ reason: 'booking.form.characters' });
    expect(formErrors({ ...form, reason: 'Dolor \u202Eodnum' })).toEqual({ reason: 'booking.form.characters' });
    expect(formErrors({ ...form, forWhom: 'dependant', dependantName: 'To\u200Bmás' })).toEqual({ dependantName: 'booking.form.characters' });
    expect(formErrors({ ...form, forWhom: 'dependant', dependantName: 'Tomás\nTorres' })).toEqual({ dependantName: 'booking.form.characters' });
  });

  it('builds the callable payload (trimmed, dependant name only for a dependant)', () => {
    expect(bookingPayload(form, slot)).toEqual({
      specialistUid: 'esp-valentina-rojas',
      officeId: 'principal',
      siteId: 'telesalud',
      start: '2027-01-15T14:00:00.000Z',
      reason: 'Control de lunares',
      visitType: 'first',
      forWhom: 'self',
      contactPhone: '+57 300 555 0101',
    });
    expect(bookingPayload({ ...form, forWhom: 'dependant', dependantName: ' Tomás ' }, slot).dependantName).toBe('Tomás');
    expect(() => bookingPayload({ ...form, contactPhone: 'x' }, slot)).toThrow(/contactPhone/);
  });

  it('keeps the idempotency key across retries of one submission, a new one when the payload changes', () => {
    let n = 0;
    const fresh = () => `key-${++n}`;
    const p = bookingPayload(form, slot);
    const first = keyFor(null, p, fresh);
    expect(keyFor(first, { ...p }, fresh).key).toBe('key-1');
    expect(keyFor(first, bookingPayload({ ...form, reason: 'Otro' }, slot), fresh).key).toBe('key-2');
  });

  it.each([
    [{ code: 'functions/already-exists', details: { reason: 'slot-taken' } }, 'booking.errors.slotTaken', 'pick-another'],
    [{ code: 'functions/failed-precondition', details: { reason: 'outside-hours' } }, 'booking.errors.outsideHours', 'pick-another'],
    [{ code: 'functions/failed-precondition', details: { reason: 'doctor-not-accepting' } }, 'booking.errors.notAccepting', 'none'],
    [{ code: 'functions/failed-precondition', details: { reason: 'too-soon' } }, 'booking.errors.tooSoon', 'pick-another'],
    [{ code: 'functions/failed-precondition', details: { reason: 'too-far' } }, 'booking.errors.tooFar', 'pick-another'],
    [{ code: 'functions/resource-exhausted', details: { reason: 'too-many-with-specialist' } }, 'booking.errors.tooManyWithSpecialist', 'none'],
    [{ code: 'functions/resource-exhausted', details: { reason: 'too-many-bookings' } }, 'booking.errors.tooManyBookings', 'none'],
    [{ code: 'functions/invalid-argument', details: { fields: ['reason'] } }, 'booking.errors.invalid', 'fix-form'],
    [{ code: 'functions/aborted', details: { reason: 'contention' } }, 'booking.errors.contention', 'retry'],
    [{ code: 'functions/unauthenticated' }, 'booking.errors.signIn', 'sign-in'],
    [{ code: 'functions/unavailable' }, 'booking.errors.retry', 'retry'],
    ['boom', 'booking.errors.generic', 'retry'],
  ])('%j → %s', (e, key, action) => {
    expect(bookingError(e)).toEqual({ key, action });
  });
});
