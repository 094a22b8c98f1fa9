import { describe, expect, it } from 'vitest';
import { officeSchema, specialistSchema, type Office, type Specialist } from './specialist';
import { foldText, searchListingId, searchListingSchema, searchListingsFor, searchTermOf, searchTerms, searchWords } from './search-listing';
import { SPECIALIST_STATUSES } from './specialist';
import { SAMPLE_OFFICE, SAMPLE_SPECIALIST } from './testing';

const office: Office = officeSchema.parse(SAMPLE_OFFICE);
const video: Office = { ...office, name: 'Videoconsulta', modality: 'video' };
const profile: Specialist = specialistSchema.parse({
  ...SAMPLE_SPECIALIST,
  displayName: 'Dra. María José Núñez-Pérez',
  photoUrl: 'https://example.test/p.jpg',
  languages: ['es', 'en'],
});

describe('searchListingsFor', () => {
  it('gives one valid listing per office of an approved profile, with the summary, the search terms and the copies the queries filter on', () => {
    const got = searchListingsFor('esp-nunez', profile, [
      { id: 'chico', office },
      { id: 'video', office: video },
    ]);
    expect(got.map((g) => g.id)).toEqual(['esp-nunez.chico', 'esp-nunez.video']);
    for (const { listing } of got) expect(searchListingSchema.safeParse(listing).success).toBe(true);
    const [first, second] = got;
    expect(first?.listing).toMatchObject({
      specialistUid: 'esp-nunez',
      officeId: 'chico',
      displayName: profile.displayName,
      photoUrl: profile.photoUrl,
      modality: 'in_person',
      geohash: 'd2g6f3',
      ratingAverage: 4.5,
      office,
    });
    expect(first?.listing.searchTerms).toEqual(expect.arrayContaining(['nu', 'nunez', 'bogota']));
    expect(second?.listing.modality).toBe('video');
  });

  it.each(SPECIALIST_STATUSES.filter((s) => s !== 'approved'))('gives nothing while the profile is %s', (status) => {
    expect(searchListingsFor('esp-nunez', { ...profile, status }, [{ id: 'chico', office }])).toEqual([]);
  });

  it('gives nothing for a missing profile, and nothing for a profile without offices', () => {
    expect(searchListingsFor('esp-nunez', null, [{ id: 'chico', office }])).toEqual([]);
    expect(searchListingsFor('esp-nunez', profile, [])).toEqual([]);
  });

  it('leaves photoUrl out when the profile has none (strict schema, no undefined fields)', () => {
    const { photoUrl: _, ...bare } = profile;
    const [one] = searchListingsFor('esp-nunez', bare, [{ id: 'chico', office }]);
    expect(one && 'photoUrl' in one.listing).toBe(false);
  });
});

describe('search text', () => {
  it.each([
    ['Bogotá', 'bogota'],
    ['  CIUDAD DE MÉXICO ', 'ciudad de mexico'],
    ['Núñez', 'nunez'],
    ['São Paulo', 'sao paulo'],
    ['  Bogotá ', 'bogota'],
    ['ÑANDÚ', 'nandu'],
  ])('foldText(%j) = %j', (input, want) => {
    expect(foldText(input)).toBe(want);
  });

  it('splits a text into unique folded words, dropping punctuation', () => {
    expect(searchWords('Dra. María José Núñez-Pérez')).toEqual(['dra', 'maria', 'jose', 'nunez', 'perez']);
    expect(searchWords('Dr. Ana Ana')).toEqual(['dr', 'ana']);
    expect(searchWords('   ')).toEqual([]);
  });

  it('finds a listing by any prefix of two or more letters of a word of the name or the city', () => {
    const terms = searchTerms('Dra. Valentina Rojas', 'Bogotá');
    for (const typed of ['ro', 'roj', 'rojas', 'va', 'valentina', 'bogo', 'Bogotá', 'dra']) expect(terms).toContain(searchTermOf(typed));
    expect(terms).not.toContain('r');
    expect(terms).not.toContain('rojass');
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('looks a typed query up by its longest word, and not at all under two letters', () => {
    expect(searchTermOf('  María  de la Luz ')).toBe('maria');
    expect(searchTermOf('Núñez')).toBe('nunez');
    expect(searchTermOf('a')).toBeNull();
    expect(searchTermOf(' - ')).toBeNull();
    expect(searchTermOf('x'.repeat(100))).toHaveLength(30);
  });

  it('keeps listings valid with very long names: words cut to 30 letters, at most 120 terms', () => {
    const long = Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(97 + i)}${'x'.repeat(40)}`).join(' ');
    const terms = searchTerms(long, 'Ciudad de México');
    expect(terms.length).toBeLessThanOrEqual(120);
    expect(Math.max(...terms.map((t) => t.length))).toBe(30);
    const [one] = searchListingsFor('esp-nunez', { ...profile, displayName: long.slice(0, 120) }, [{ id: 'chico', office }]);
    expect(one && searchListingSchema.safeParse(one.listing).success).toBe(true);
  });

  it('ids cannot collide: the separator is not an id character', () => {
    expect(searchListingId('a_b', 'c')).not.toBe(searchListingId('a', 'b_c'));
    expect(searchListingId('a', 'b')).toBe('a.b');
  });
});
