/** The bookAppointment callable (name from CALLABLES), its response checked with the domain schema. */
import { httpsCallable } from 'firebase/functions';
import { CALLABLES, type BookAppointmentRequest, type BookAppointmentResponse } from '@telesalud/domain';
import { firebase } from '../../plugins/firebase';

/**
 * Books a slot.
 * @param req - the request, with the submission's idempotency key
 * @throws FunctionsError from the server (see booking-form.ts bookingError)
 */
export async function callBookAppointment(req: BookAppointmentRequest): Promise<BookAppointmentResponse> {
  const name: keyof typeof CALLABLES = 'bookAppointment';
  const call = httpsCallable<BookAppointmentRequest, unknown>(firebase().functions, name);
  const res = await call(req);
  return CALLABLES[name].response.parse(res.data);
}
