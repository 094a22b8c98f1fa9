/** The server-side part of a search: which listings to read for the page's filters. Pure. */
import { searchTermOf } from '@telesalud/domain';
import type { ListingQuery } from '../../data/search-listings';
import type { SearchFilters } from './search-filters';
import { clampBox, geohashRangesFor } from './geo-bounds';

/** Listings read per geohash range of a viewport, and for the best rated when no area is set. */
export const LIMIT_PER_RANGE = 150;
export const LIMIT_TOP = 200;
/**
 * The server-side part of the filters.
 * @param f - the page's filters
 */
export function listingQueryFor(f: SearchFilters): ListingQuery {
  const term = searchTermOf(f.name) ?? searchTermOf(f.city);
  return {
    ranges: f.area ? geohashRangesFor(clampBox(f.area)) : null,
    contains: f.specialty ? { field: 'specialties', value: f.specialty } : term ? { field: 'searchTerms', value: term } : null,
    limitPerQuery: f.area ? LIMIT_PER_RANGE : LIMIT_TOP,
  };
}

