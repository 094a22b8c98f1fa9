/**
 * One booking attempt at a time: keeps the idempotency key of a submission across its retries (a lost response
 * retried returns the same appointment), and a fresh one once it succeeded or the form changed.
 */
import { ref, shallowRef } from 'vue';
import type { BookAppointmentResponse } from '@telesalud/domain';
import { bookingError, keyFor, type BookingPayload, type ErrorAction, type KeyedSubmission } from './booking-form';
import { callBookAppointment } from './call-book-appointment';

export function useBookAppointment() {
  const pending = ref(false);
  const errorKey = ref<string | null>(null);
  const errorAction = ref<ErrorAction>('none');
  const result = shallowRef<BookAppointmentResponse | null>(null);
  let submission: KeyedSubmission | null = null;

  async function book(payload: BookingPayload): Promise<BookAppointmentResponse | null> {
    if (pending.value) return null;
    submission = keyFor(submission, payload, () => crypto.randomUUID());
    pending.value = true;
    errorKey.value = null;
    try {
      const res = await callBookAppointment({ ...payload, idempotencyKey: submission.key });
      submission = null;
      result.value = res;
      return res;
    } catch (e) {
      const { key, action } = bookingError(e);
      errorKey.value = key;
      errorAction.value = action;
      // A refused slot will never succeed: the next try is a new intent with a new key.
      if (action === 'pick-another') submission = null;
      return null;
    } finally {
      pending.value = false;
    }
  }

  function reset(): void {
    result.value = null;
    errorKey.value = null;
    errorAction.value = 'none';
  }

  return { pending, errorKey, errorAction, result, book, reset };
}
