/** What the search page filters on, and the pure matching of a specialist and their offices against it. */
import { foldText, generateSlots, priceFor, type Locale, type Money, type Specialist, type SpecialtyCode } from '@telesalud/domain';
import type { OfficeView } from '../../data/specialists';
import type { ListingView } from '../../data/search-listings';
import { minorFactor } from '../../components/format';
import { withinBox, type LatLngBox } from './geo-bounds';

export type ModalityFilter = 'any' | 'video' | 'in_person';

export interface SearchFilters {
  specialty: SpecialtyCode | null;
  /** Part of the name, accents and case ignored. */
  name: string;
  /** Part of a city name, accents and case ignored. */
  city: string;
  modality: ModalityFilter;
  /** Bounds of the visit price for the site, in major units of each office's own currency. */
  priceMin: number | null;
  priceMax: number | null;
  language: Locale | null;
  availableThisWeek: boolean;
  /** Set by "search this area": only specialists with an in-person office inside. */
  area: LatLngBox | null;
}

export const EMPTY_FILTERS: SearchFilters = {
  specialty: null,
  name: '',
  city: '',
  modality: 'any',
  priceMin: null,
  priceMax: null,
  language: null,
  availableThisWeek: false,
  area: null,
};

/** What search knows of a specialist: the summary its listings carry (a full profile also fits). */
export type SearchSpecialist = Pick<
  Specialist,
  'displayName' | 'title' | 'photoUrl' | 'specialties' | 'languages' | 'paymentPolicy' | 'acceptsVideo' | 'acceptsInPerson' | 'ratingAverage' | 'ratingCount' | 'cities'
> & { uid: string };

/** A specialist with the offices a search found. */
export interface SearchCandidate {
  specialist: SearchSpecialist;
  offices: OfficeView[];
}

/**
 * Groups listings (one per office) by specialist, in first-seen order; the summary comes from the first listing, the
 * cities from the offices found.
 * @param listings - what a search read
 */
export function groupListings(listings: readonly ListingView[]): SearchCandidate[] {
  const out = new Map<string, SearchCandidate>();
  for (const l of listings) {
    let c = out.get(l.specialistUid);
    if (!c) {
      c = {
        specialist: {
          uid: l.specialistUid,
          displayName: l.displayName,
          title: l.title,
          ...(l.photoUrl ? { photoUrl: l.photoUrl } : {}),
          specialties: l.specialties,
          languages: l.languages,
          paymentPolicy: l.paymentPolicy,
          acceptsVideo: l.acceptsVideo,
          acceptsInPerson: l.acceptsInPerson,
          ratingAverage: l.ratingAverage,
          ratingCount: l.ratingCount,
          cities: [],
        },
        offices: [],
      };
      out.set(l.specialistUid, c);
    }
    c.offices.push(l.office);
    if (!c.specialist.cities.includes(l.office.city)) c.specialist.cities.push(l.office.city);
  }
  return [...out.values()];
}

/** One card of the results: the profile, the offices that put it on the map, its lowest price for the site. */
export interface SearchResult {
  specialist: SearchSpecialist;
  offices: OfficeView[];
  /** In-person offices with a place on the map (inside the area when one is set). */
  mapOffices: OfficeView[];
  price: Money | null;
}

/** Major units of an amount in minor units (CLP has none, as in the seed and the domain's Money). */
export function majorUnits(m: Money): number {
  return m.amount / minorFactor(m.currency);
}

/**
 * The lowest price among the offices for the site.
 * @param offices - the specialist's offices
 * @param siteId - the portal's site
 */
export function lowestPrice(offices: readonly OfficeView[], siteId: string): Money | null {
  let best: Money | null = null;
  for (const o of offices) {
    const p = priceFor({ prices: o.prices, siteId });
    if (p && (!best || p.amount < best.amount)) best = p;
  }
  return best;
}

/**
 * Whether an office has opening hours left in the next 7 days (weekly hours only: exceptions and bookings are
 * checked on the profile, where the live slots are).
 */
export function hasHoursThisWeek(office: OfficeView, now: Date): boolean {
  const to = new Date(now.getTime() + 7 * 86_400_000);
  return generateSlots({ office, officeId: office.id, from: now, to, exceptions: [], busy: [], now }).length > 0;
}

export interface MatchContext {
  siteId: string;
  now: Date;
}

/**
 * Applies every filter to one specialist; null when they do not match.
 * @param specialist - an approved profile
 * @param offices - their offices
 * @param f - the filters
 * @param ctx - the site (prices) and the clock ("this week")
 */
export function matchSpecialist(specialist: SearchSpecialist, offices: readonly OfficeView[], f: SearchFilters, ctx: MatchContext): SearchResult | null {
  if (f.specialty && !specialist.specialties.includes(f.specialty)) return null;
  if (f.name && !foldText(specialist.displayName).includes(foldText(f.name))) return null;
  if (f.city) {
    const want = foldText(f.city);
    const cities = [...specialist.cities, ...offices.map((o) => o.city)];
    if (!cities.some((c) => foldText(c).includes(want))) return null;
  }
  if (f.language && !specialist.languages.includes(f.language)) return null;
  const usable = offices.filter((o) =>
    o.modality === 'video' ? specialist.acceptsVideo && f.modality !== 'in_person' : specialist.acceptsInPerson && f.modality !== 'video',
  );
  if (usable.length === 0) return null;
  const priced = usable.filter((o) => {
    const p = priceFor({ prices: o.prices, siteId: ctx.siteId });
    if (!p) return false;
    const major = majorUnits(p);
    return (f.priceMin === null || major >= f.priceMin) && (f.priceMax === null || major <= f.priceMax);
  });
  if (priced.length === 0) return null;
  const open = f.availableThisWeek ? priced.filter((o) => hasHoursThisWeek(o, ctx.now)) : priced;
  if (open.length === 0) return null;
  const inPerson = open.filter((o) => o.modality === 'in_person');
  const mapOffices = f.area ? withinBox(inPerson, f.area) : inPerson;
  if (f.area && mapOffices.length === 0) return null;
  return { specialist, offices: open, mapOffices, price: lowestPrice(open, ctx.siteId) };
}

/**
 * The results, best rated first, then by name.
 * @param all - approved profiles with their offices
 */
export function searchResults(all: readonly { specialist: SearchSpecialist; offices: readonly OfficeView[] }[], f: SearchFilters, ctx: MatchContext): SearchResult[] {
  return all
    .map((x) => matchSpecialist(x.specialist, x.offices, f, ctx))
    .filter((r): r is SearchResult => r !== null)
    .sort((a, b) => b.specialist.ratingAverage - a.specialist.ratingAverage || a.specialist.displayName.localeCompare(b.specialist.displayName));
}
