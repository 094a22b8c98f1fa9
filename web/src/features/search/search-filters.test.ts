import { describe, expect, it } from 'vitest';
import { geohash, searchListingsFor, specialistSchema, type Office, type Specialist } from '@telesalud/domain';
import type { OfficeView, SpecialistProfile } from '../../data/specialists';
import type { ListingView } from '../../data/search-listings';
import { EMPTY_FILTERS, groupListings, lowestPrice, matchSpecialist, searchResults, type SearchFilters } from './search-filters';
import { LIMIT_PER_RANGE, LIMIT_TOP, listingQueryFor } from './search-query';
import { geohashRangesFor } from './geo-bounds';

const HOURS: Office['weeklyHours'] = { mon: [{ start: '08:00', end: '12:00' }] };

function office(id: string, over: Partial<OfficeView> = {}): OfficeView {
  return {
    id,
    specialistUid: 'esp-a',
    name: 'Consultorio',
    address: 'Calle 1',
    city: 'Bogotá',
    country: 'CO',
    location: { lat: 4.6768, lng: -74.0486 },
    geohash: geohash(4.6768, -74.0486),
    timeZone: 'America/Bogota',
    modality: 'in_person',
    weeklyHours: HOURS,
    breaks: [],
    slotMinutes: 30,
    bufferMinutes: 0,
    prices: [{ siteId: 'telesalud', price: { amount: 18_000_000, currency: 'COP' } }],
    ...over,
  };
}

function specialist(over: Partial<Specialist> & { uid?: string } = {}): SpecialistProfile {
  return {
    uid: 'esp-a',
    displayName: 'Dra. Valentina Rojas',
    title: 'Dra.',
    bio: 'Bio',
    education: [],
    specialties: ['dermatologia'],
    areasOfExpertise: [],
    languages: ['es'],
    clinicIds: [],
    status: 'approved',
    paymentPolicy: 'pay_at_visit',
    acceptsVideo: true,
    acceptsInPerson: true,
    ratingAverage: 4.5,
    ratingCount: 2,
    cities: ['Bogotá'],
    ...over,
  };
}

const ctx = { siteId: 'telesalud', now: new Date('2027-01-13T12:00:00Z') }; // a Wednesday
const f = (over: Partial<SearchFilters>): SearchFilters => ({ ...EMPTY_FILTERS, ...over });
const offices = [office('principal'), office('video', { modality: 'video', prices: [{ siteId: 'telesalud', price: { amount: 15_000_000, currency: 'COP' } }] })];

describe('search filters', () => {
  it.each([
    ['no filters', {}, true],
    ['specialty that matches', { specialty: 'dermatologia' }, true],
    ['other specialty', { specialty: 'cardiologia' }, false],
    ['name without accents', { name: 'valentina' }, true],
    ['other name', { name: 'gomez' }, false],
    ['city without accent', { city: 'bogota' }, true],
    ['other city', { city: 'Lima' }, false],
    ['language es', { language: 'es' }, true],
    ['language en', { language: 'en' }, false],
    ['price under the lowest', { priceMax: 100_000 }, false],
    ['price that fits the video office', { priceMax: 150_000 }, true],
    ['price min above both', { priceMin: 200_000 }, false],
  ] as const)('%s', (_name, over, want) => {
    expect(matchSpecialist(specialist(), offices, f(over), ctx) !== null).toBe(want);
  });

  it('modality keeps only the offices of that kind, and honours acceptsVideo/acceptsInPerson', () => {
    expect(matchSpecialist(specialist(), offices, f({ modality: 'video' }), ctx)?.offices.map((o) => o.id)).toEqual(['video']);
    expect(matchSpecialist(specialist(), offices, f({ modality: 'in_person' }), ctx)?.offices.map((o) => o.id)).toEqual(['principal']);
    expect(matchSpecialist(specialist({ acceptsVideo: false }), [offices[1] ?? office('x')], f({}), ctx)).toBeNull();
  });

  it('only in-person offices go on the map; "this area" drops specialists with none inside', () => {
    const r = matchSpecialist(specialist(), offices, f({}), ctx);
    expect(r?.mapOffices.map((o) => o.id)).toEqual(['principal']);
    expect(matchSpecialist(specialist(), offices, f({ area: { south: 40, west: -4, north: 41, east: -3 } }), ctx)).toBeNull();
    expect(matchSpecialist(specialist(), offices, f({ area: { south: 4.6, west: -74.1, north: 4.7, east: -74 } }), ctx)?.mapOffices).toHaveLength(1);
  });

  it('"available this week" needs weekly hours ahead in the next 7 days', () => {
    expect(matchSpecialist(specialist(), [office('principal')], f({ availableThisWeek: true }), ctx)).not.toBeNull();
    expect(matchSpecialist(specialist(), [office('principal', { weeklyHours: {} })], f({ availableThisWeek: true }), ctx)).toBeNull();
  });

  it('an office without a price for the site is not offered', () => {
    expect(matchSpecialist(specialist(), [office('p', { prices: [{ siteId: 'otro', price: { amount: 1, currency: 'COP' } }] })], f({}), ctx)).toBeNull();
  });

  it('the lowest price, and results by rating then name', () => {
    expect(lowestPrice(offices, 'telesalud')).toEqual({ amount: 15_000_000, currency: 'COP' });
    const list = searchResults(
      [
        { specialist: specialist({ uid: 'b', displayName: 'B', ratingAverage: 4 }), offices },
        { specialist: specialist({ uid: 'a', displayName: 'A', ratingAverage: 4 }), offices },
        { specialist: specialist({ uid: 'c', displayName: 'C', ratingAverage: 5 }), offices },
      ],
      f({}),
      ctx,
    );
    expect(list.map((r) => r.specialist.uid)).toEqual(['c', 'a', 'b']);
  });
});

/** The listings the trigger would write for a profile and offices, as the data module hands them out. */
function listingsOf(uid: string, profile: Specialist, of: readonly OfficeView[]): ListingView[] {
  return searchListingsFor(uid, profile, of.map((o) => ({ id: o.id, office: o }))).map(({ id, listing }) => ({
    ...listing,
    id,
    office: { ...listing.office, id: listing.officeId, specialistUid: uid },
  }));
}

describe('listings into results', () => {
  const { uid: _uid, ...profile } = specialist();
  const parsed = specialistSchema.parse(profile);
  const strip = ({ id: _id, specialistUid: _s, ...o }: OfficeView): Office => o;

  it('groups the listings of one specialist into one candidate with every office found and their cities', () => {
    const medellin = office('norte', { city: 'Medellín' });
    const grouped = groupListings([
      ...listingsOf('esp-a', parsed, [office('principal'), medellin]),
      ...listingsOf('esp-b', { ...parsed, displayName: 'Dr. Otro' }, [office('principal')]),
    ]);
    expect(grouped.map((g) => g.specialist.uid)).toEqual(['esp-a', 'esp-b']);
    expect(grouped[0]?.offices.map((o) => `${o.specialistUid}/${o.id}`)).toEqual(['esp-a/principal', 'esp-a/norte']);
    expect(grouped[0]?.specialist.cities).toEqual(['Bogotá', 'Medellín']);
    expect(strip(grouped[0]?.offices[1] ?? office('x'))).toEqual(strip(medellin));
  });

  it('matches a grouped candidate exactly like the full profile it came from', () => {
    const [candidate] = groupListings(listingsOf('esp-a', parsed, offices));
    if (!candidate) throw new Error('no candidate');
    for (const over of [{}, { name: 'rojas' }, { city: 'bogota' }, { modality: 'video' as const }, { priceMax: 150_000 }, { language: 'en' as const }]) {
      const fromListing = matchSpecialist(candidate.specialist, candidate.offices, f(over), ctx);
      const fromProfile = matchSpecialist(specialist(), offices, f(over), ctx);
      expect(fromListing?.offices.map((o) => o.id) ?? null).toEqual(fromProfile?.offices.map((o) => o.id) ?? null);
      expect(fromListing?.price ?? null).toEqual(fromProfile?.price ?? null);
    }
  });
});

describe('the server-side part of a search', () => {
  const box = { south: 4.6, west: -74.1, north: 4.75, east: -74.0 };

  it('without an area reads the best rated, with the specialty as the one array-contains', () => {
    expect(listingQueryFor(f({ specialty: 'dermatologia', name: 'rojas' }))).toEqual({
      ranges: null,
      contains: { field: 'specialties', value: 'dermatologia' },
      limitPerQuery: LIMIT_TOP,
    });
  });

  it('without a specialty, filters on the longest word typed in the name, else in the city', () => {
    expect(listingQueryFor(f({ name: 'Dra. Rojas', city: 'Bogotá' })).contains).toEqual({ field: 'searchTerms', value: 'rojas' });
    expect(listingQueryFor(f({ name: 'a', city: 'Bogotá' })).contains).toEqual({ field: 'searchTerms', value: 'bogota' });
    expect(listingQueryFor(f({ name: ' ', city: '' })).contains).toBeNull();
  });

  it('an area becomes the geohash ranges covering it, read with the per-range limit', () => {
    const q = listingQueryFor(f({ area: box }));
    expect(q.ranges).toEqual(geohashRangesFor(box));
    expect(q.ranges?.length).toBeGreaterThan(0);
    expect(q.limitPerQuery).toBe(LIMIT_PER_RANGE);
  });

  it('a viewport wider than the world is clamped before it becomes ranges', () => {
    const q = listingQueryFor(f({ area: { south: -120, west: -540, north: 120, east: 540 } }));
    expect(q.ranges).toEqual(geohashRangesFor({ south: -90, west: -180, north: 90, east: 180 }));
  });
});

