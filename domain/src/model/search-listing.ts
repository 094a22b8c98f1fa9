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

/** The longest term kept, and the most terms a listing holds. */
const MAX_TERM = 30;
const MAX_TERMS = 120;
/** The shortest prefix searched: one letter would match nearly every listing. */
export const MIN_SEARCH_TERM = 2;

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
  /** Prefixes of the folded words of the name and the city (see `searchTerms`), for `array-contains` text search. */
  searchTerms: z.array(z.string().min(1).max(MAX_TERM)).max(MAX_TERMS),
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

/**
 * The words of a text, folded, without punctuation or duplicates ("Dra. María José Núñez-Pérez" → dra, maria, jose,
 * nunez, perez).
 * @param text - a name or a city
 */
export function searchWords(text: string): string[] {
  return [...new Set(foldText(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0))];
}

/**
 * What a listing is found by: every prefix of at least MIN_SEARCH_TERM letters of each word of the name and the city,
 * so "roj" finds Rojas and "bogo" finds Bogotá with one `array-contains` filter. Words are cut at MAX_TERM letters.
 * @param name - the specialist's display name
 * @param city - the office's city
 */
export function searchTerms(name: string, city: string): string[] {
  const terms = new Set<string>();
  for (const word of [...searchWords(name), ...searchWords(city)]) {
    const w = word.slice(0, MAX_TERM);
    for (let n = Math.min(MIN_SEARCH_TERM, w.length); n <= w.length; n++) terms.add(w.slice(0, n));
  }
  return [...terms].slice(0, MAX_TERMS);
}

/**
 * The term a typed query is looked up by: its longest folded word, cut like the stored terms; null when no word has
 * MIN_SEARCH_TERM letters (then there is nothing worth asking the server for).
 * @param typed - what the patient typed in the name or city box
 */
export function searchTermOf(typed: string): string | null {
  const longest = searchWords(typed).sort((a, b) => b.length - a.length)[0];
  return longest && longest.length >= MIN_SEARCH_TERM ? longest.slice(0, MAX_TERM) : null;
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
      searchTerms: searchTerms(profile.displayName, office.city),
      modality: office.modality,
      geohash: office.geohash,
      office,
    },
  }));
}
