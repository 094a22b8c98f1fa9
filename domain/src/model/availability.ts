/**
 * specialists/{uid}/exceptions/{exceptionId} (one-off changes to the weekly hours) and
 * specialists/{uid}/slotLocks/{lockId} (the server's conflict guard).
 */
import { z } from 'zod';
import { compareTimestamps, id, isoDate, timestampSchema } from './common';
import { timeInterval } from './specialist';

export const EXCEPTION_KINDS = ['closed', 'hours'] as const;

/**
 * A date the weekly hours do not describe: closed all day, or open only for `intervals` (local time of the office).
 * Without `officeId` it applies to every office of the specialist.
 */
export const availabilityExceptionSchema = z
  .strictObject({
    date: isoDate,
    kind: z.enum(EXCEPTION_KINDS),
    intervals: z.array(timeInterval).min(1).max(6).optional(),
    officeId: id.optional(),
  })
  .refine((e) => (e.kind === 'hours') === (e.intervals !== undefined), {
    message: "Intervals are required for 'hours' and forbidden for 'closed'",
    path: ['intervals'],
  });
export type AvailabilityException = z.infer<typeof availabilityExceptionSchema>;

/**
 * The id of an exception document: the date, suffixed with the office when it applies to one office only, so that a
 * specialist-wide closure and an office's special hours on the same day are two documents.
 * @param date - 'YYYY-MM-DD'
 * @param officeId - the office it applies to, or undefined for all
 */
export function availabilityExceptionId(date: string, officeId?: string): string {
  return officeId === undefined ? date : `${date}_${officeId}`;
}

/**
 * A slot lock: created in the booking transaction with a deterministic id (domain/src/scheduling), so two bookings of
 * overlapping time collide on the same document and one transaction fails. Server-written, deleted on cancellation.
 */
export const slotLockSchema = z
  .strictObject({
    appointmentId: id,
    start: timestampSchema,
    end: timestampSchema,
    /**
     * The holder's payment deadline while it awaits payment. A booking meeting a lock reads the holder only once this
     * has passed (it may then be expired in that booking's transaction); without it, or before it, the lock is taken
     * without another read, so the losers of a race for one slot stop at the lock.
     */
    unpaidUntil: timestampSchema.optional(),
  })
  .refine((l) => compareTimestamps(l.start, l.end) < 0, { message: 'End before start', path: ['end'] });
export type SlotLock = z.infer<typeof slotLockSchema>;
