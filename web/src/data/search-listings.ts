/**
 * searchListings/{listingId}: what map search reads, one public document per office of an approved specialist (see
 * domain/src/model/search-listing.ts). A viewport is a few geohash range queries; without one, the best rated
 * listings. Firestore allows one `array-contains` per query, so the caller picks the specialty or a search term as
 * the server-side filter and matches the rest on what comes back.
 */
import {
  collection,
  endAt,
  getDocs,
  limit,
  orderBy,
  query,
  startAt,
  where,
  type Firestore,
  type QueryConstraint,
} from 'firebase/firestore';
import { parseDocument, paths, searchListingSchema, type SearchListing } from '@telesalud/domain';
import { firebase } from '../plugins/firebase';
import type { OfficeView } from './specialists';
import { readOnlyConverter } from './read-only';

/** A listing as the search page uses it: the summary, and the office as an OfficeView. */
export type ListingView = Omit<SearchListing, 'office'> & { id: string; office: OfficeView };

/** The server-side filters of one search. */
export interface ListingQuery {
  /** Geohash ranges [start, end] covering the viewport, or null for the best rated listings anywhere. */
  ranges: readonly (readonly [string, string])[] | null;
  /** The one array-contains filter: a specialty, or a search term (see searchTermOf). */
  contains: { field: 'specialties' | 'searchTerms'; value: string } | null;
  /** The most listings read per query (per range in a viewport). */
  limitPerQuery: number;
}

/** What a search read. */
export interface ListingPage {
  listings: ListingView[];
  /** Documents the queries returned, duplicates across ranges included: what the search cost. */
  documentsRead: number;
  /** True when a query hit its limit: there may be more (zoom in, or add a filter). */
  truncated: boolean;
}

const converter = readOnlyConverter('Search listings are server-written', (snap): ListingView => {
  const l = parseDocument(searchListingSchema, snap);
  return { ...l, id: snap.id, office: { ...l.office, id: l.officeId, specialistUid: l.specialistUid } };
});

/**
 * Runs a search: one query per geohash range (in parallel), or one for the best rated; merges the answers by id.
 * @param q - the server-side filters
 * @param db - the app's Firestore; bench/map-search.ts passes its own to time these very queries outside the page
 */
export async function findListings(q: ListingQuery, db: Firestore = firebase().db): Promise<ListingPage> {
  const base = collection(db, paths.searchListings()).withConverter(converter);
  const filter: QueryConstraint[] = q.contains ? [where(q.contains.field, 'array-contains', q.contains.value)] : [];
  const queries = q.ranges
    ? q.ranges.map(([from, to]) => query(base, ...filter, orderBy('geohash'), startAt(from), endAt(to), limit(q.limitPerQuery)))
    : [query(base, ...filter, orderBy('ratingAverage', 'desc'), limit(q.limitPerQuery))];
  const snaps = await Promise.all(queries.map((x) => getDocs(x)));
  const byId = new Map<string, ListingView>();
  let documentsRead = 0;
  let truncated = false;
  for (const snap of snaps) {
    documentsRead += snap.size;
    if (snap.size >= q.limitPerQuery) truncated = true;
    for (const d of snap.docs) byId.set(d.id, d.data());
  }
  return { listings: [...byId.values()], documentsRead, truncated };
}
