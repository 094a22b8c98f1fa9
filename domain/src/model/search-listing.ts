/**
 * searchListings/{listingId}: one public document per office of an approved specialist, carrying what the search page
 * filters on and shows (a copy of the public profile's summary and the office itself). It exists so that a map
 * viewport is a few geohash range queries over one collection: profiles cannot be range-queried by place (their
 * offices are a subcollection), and a collection-group query on offices would need the parent's status, which rules
 * cannot read per document. Server-written only, by a trigger that recomputes a specialist's listings from the
 * profile and its offices with `searchListingsFor` (the seed calls the same function), so the copy never drifts.
 */
import { z } from 'zod';
import { id, LOCALES, MODALITIES, PAYMENT_POLICIES, shortText } from './common';
import { SPECIALTY_CODES } from './specialties';
import { officeSchema, type Office, type Specialist } from './specialist';

export const searchListingSchema = z.strictObject({
  specialistUid: id,
  officeId: id,
  displayName: shortText(120),
  title: shortText(40),
  photoUrl: z.string().url().max(2048).optional(),
  specialties: z.array(z.enum(SPECIALTY_CODES)).min(1).max(5),
  languages: z.array(z.enum(LOCALES)).min(1),
  paymentPolicy: z.enum(PAYMENT_POLICIES),
  acceptsVideo: z.boolean(),
  acceptsInPerson: z.boolean(),
  ratingAverage: z.number().min(0).max(5),
  ratingCount: z.number().int().nonnegative(),
  /** Folded words of the name (see `foldText`), for `array-contains` name search. */
  nameTokens: z.array(z.string().min(1).max(60)).max(12),
  /** The folded city of the office, for equality search by city. */
  cityKey: z.string().min(1).max(80),
  /** Copies of the office's fields the queries filter on (Firestore filters on top-level or dotted fields). */
  modality: z.enum(MODALITIES),
  geohash: z.string().regex(/^[0-9b-hjkmnp-z]{1,12}$/),
  office: officeSchema,
});
export type SearchListing = z.infer<typeof searchListingSchema>;

/**
 * The id of an office's listing. The separator '.' cannot occur in either id (see `id`), so two pairs never share
 * a listing id.
 * @param specialistUid - the specialist
 * @param officeId - one of their offices
 */
export function searchListingId(specialistUid: string, officeId: string): string {
  return `${specialistUid}.${officeId}`;
}

/**
 * Lowercase without diacritics or surrounding space, so "Bogotá" and "bogota" are equal and "Núñez" finds "nunez".
 * @param s - any text
 */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/** The folded words of a name, without titles' dots and duplicates ("Dra. María José Núñez" → dra, maria, jose, nunez). */
export function nameTokens(name: string): string[] {
  const words = foldText(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.slice(0, 60));
  return [...new Set(words)].slice(0, 12);
}

/**
 * The listings a specialist should have: one per office while the profile is approved, none otherwise (a pending,
 * draft or suspended specialist is not found by search). Pure: the trigger and the seed both call it.
 * @param specialistUid - the profile's uid
 * @param profile - the profile, or null when it does not exist
 * @param offices - the profile's offices with their ids
 */
export function searchListingsFor(
  specialistUid: string,
  profile: Specialist | null,
  offices: readonly { id: string; office: Office }[],
): { id: string; listing: SearchListing }[] {
  if (!profile || profile.status !== 'approved') return [];
  return offices.map(({ id: officeId, office }) => ({
    id: searchListingId(specialistUid, officeId),
    listing: {
      specialistUid,
      officeId,
      displayName: profile.displayName,
      title: profile.title,
      ...(profile.photoUrl ? { photoUrl: profile.photoUrl } : {}),
      specialties: profile.specialties,
      languages: profile.languages,
      paymentPolicy: profile.paymentPolicy,
      acceptsVideo: profile.acceptsVideo,
      acceptsInPerson: profile.acceptsInPerson,
      ratingAverage: profile.ratingAverage,
      ratingCount: profile.ratingCount,
      nameTokens: nameTokens(profile.displayName),
      cityKey: foldText(office.city),
      modality: office.modality,
      geohash: office.geohash,
      office,
    },
  }));
}
