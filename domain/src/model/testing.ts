/**
 * Helpers for the schema tables of domain/src (imported by *.test.ts only, never exported from the package): build
 * a timestamp, derive invalid variants of a valid document without mutating it, and sample documents.
 */
import type { TimestampLike } from './common';

/**
 * A timestamp as the SDKs expose it.
 * @param seconds - seconds since the epoch
 */
export function ts(seconds: number): TimestampLike {
  return { seconds, nanoseconds: 0, toDate: () => new Date(seconds * 1000) };
}

/** A field location: object keys and array indexes. */
export type FieldPath = readonly (string | number)[];

function copy(v: unknown): Record<string | number, unknown> {
  if (Array.isArray(v)) return [...(v as unknown[])] as unknown as Record<number, unknown>;
  if (typeof v === 'object' && v !== null) return { ...(v as Record<string, unknown>) };
  return {};
}

/**
 * A copy of `value` with the field at `path` replaced (or removed when `replacement` is undefined).
 * @param value - the valid document
 * @param path - where to change it
 * @param replacement - the new value
 */
export function setAt(value: unknown, path: FieldPath, replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  const out = copy(value);
  const next = rest.length === 0 ? replacement : setAt(out[head], rest, replacement);
  if (next !== undefined) {
    out[head] = next;
    return out;
  }
  if (Array.isArray(out)) return out.filter((_, i) => i !== head);
  return Object.fromEntries(Object.entries(out).filter(([k]) => k !== String(head)));
}

/**
 * The path of every string inside a value (objects and arrays walked; Timestamps and other leaves skipped).
 * @param value - a sample document or request
 */
export function stringLeaves(value: unknown, path: FieldPath = []): FieldPath[] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (typeof value === 'object' && value !== null && !('toDate' in value)) {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  }
  return [];
}

/** Characters no string field may carry: NUL, a bidi override, a bidi isolate, a zero-width space, a BOM. */
export const HOSTILE_CHARACTERS = ['\u0000', '\u202E', '\u2066', '\u200B', '\uFEFF'] as const;

/**
 * A string with `c` slipped in after its first character.
 * @param s - the original
 * @param c - the character
 */
export function slipIn(s: string, c: string): string {
  return `${s.slice(0, 1)}${c}${s.slice(1)}`;
}

/**
 * A copy of `value` with an own `__proto__` key, as JSON.parse produces from a hostile payload.
 * @param value - the valid document
 */
export function withProtoKey(value: object): object {
  return { ...value, ...(JSON.parse('{"__proto__":{"isAdmin":true}}') as object) };
}

/** A valid in-person office (Bogotá), for tables that need one. */
export const SAMPLE_OFFICE = {
  name: 'Consultorio Rojas',
  address: 'Calle 93 #11-26, Chicó',
  city: 'Bogotá',
  country: 'CO',
  location: { lat: 4.6768, lng: -74.0486 },
  geohash: 'd2g6f3',
  timeZone: 'America/Bogota',
  modality: 'in_person',
  weeklyHours: { mon: [{ start: '08:00', end: '12:00' }] },
  breaks: [],
  slotMinutes: 30,
  bufferMinutes: 10,
  prices: [{ siteId: 'telesalud', price: { amount: 18_000_000, currency: 'COP' } }],
};
/** A valid approved profile, for tables that need one. */
export const SAMPLE_SPECIALIST = {
  displayName: 'Dra. Valentina Rojas',
  title: 'Dra.',
  bio: 'Dermatóloga.',
  education: [{ degree: 'Médico cirujano', institution: 'Universidad Nacional', year: 2008 }],
  specialties: ['dermatologia'],
  areasOfExpertise: ['Acné'],
  languages: ['es'],
  clinicIds: ['clinica-andina'],
  status: 'approved',
  paymentPolicy: 'pay_at_visit',
  acceptsVideo: true,
  acceptsInPerson: true,
  ratingAverage: 4.5,
  ratingCount: 2,
  cities: ['Bogotá'],
};
