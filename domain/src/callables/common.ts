/**
 * Building blocks of callable payloads. Callables speak JSON: instants travel as ISO 8601 strings with an offset
 * (a Timestamp does not survive the wire), money as Money, ids as ids. Every schema is strict, so unknown keys and an
 * own `__proto__` key are refused.
 */
import { z } from 'zod';

/** An instant with its offset ("2026-03-10T09:00:00-05:00" or "…Z"); a local time without offset is ambiguous. */
export const isoDateTime = z.iso.datetime({ offset: true }).max(40);

/** The client's idempotency key: a UUID made once per user intent and reused on every retry of it. */
export const idempotencyKey = z.uuid();

/** A visit length a specialist proposes (proposeTime); patients never choose one: their slot's office decides. */
export const durationMinutes = z.number().int().min(5).max(480);

/** An instant interval on the wire, start before end. */
export const isoInterval = z
  .strictObject({ start: isoDateTime, end: isoDateTime })
  .refine((w) => Date.parse(w.start) < Date.parse(w.end), { message: 'End before start', path: ['end'] });
