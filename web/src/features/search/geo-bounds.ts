/**
 * The visible map area as geohash ranges (geofire-common), and which offices fall inside it. Pure.
 *
 * The ranges are the range queries on `searchListings.geohash` (data/search-listings.ts). Geohash cells cover more
 * than the circle around the box, so the exact box check after the ranges removes the false positives, as geofire's
 * own recipe does after its queries.
 */
import { distanceBetween, geohashQueryBounds, type GeohashRange } from 'geofire-common';

/** A map viewport in degrees. */
export interface LatLngBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface Located {
  location: { lat: number; lng: number };
  geohash: string;
}

/**
 * A map viewport brought into valid coordinates: Leaflet reports longitudes beyond ±180 when the world repeats on
 * screen, and geofire refuses them.
 * @param box - any viewport
 */
export function clampBox(box: LatLngBox): LatLngBox {
  const clamp = (v: number, lim: number) => Math.min(lim, Math.max(-lim, v));
  const wraps = box.east - box.west >= 360;
  return {
    south: clamp(box.south, 90),
    north: clamp(box.north, 90),
    west: wraps ? -180 : clamp(box.west, 180),
    east: wraps ? 180 : clamp(box.east, 180),
  };
}

/**
 * The circle around a box: its centre and the distance to its farthest corner.
 * @param box - south < north; west < east (a box crossing the antimeridian is not supported)
 * @returns centre [lat, lng] and radius in metres
 */
export function boxToCircle(box: LatLngBox): { center: [number, number]; radiusM: number } {
  const center: [number, number] = [(box.south + box.north) / 2, (box.west + box.east) / 2];
  const corners: [number, number][] = [
    [box.south, box.west],
    [box.south, box.east],
    [box.north, box.west],
    [box.north, box.east],
  ];
  // distanceBetween answers in kilometres.
  const radiusM = Math.max(...corners.map((c) => distanceBetween(center, c))) * 1000;
  return { center, radiusM };
}

/**
 * The geohash ranges covering a box, as `where('geohash','>=',a)`, `where('geohash','<=',b)` pairs would use.
 * @param box - the viewport
 */
export function geohashRangesFor(box: LatLngBox): GeohashRange[] {
  const { center, radiusM } = boxToCircle(box);
  // geofire needs a positive radius; a zero-size box still has a centre worth covering.
  return geohashQueryBounds(center, Math.max(radiusM, 1));
}

/** Whether a geohash falls in one of the ranges (inclusive, as the range queries are). */
export function inRanges(hash: string, ranges: readonly GeohashRange[]): boolean {
  return ranges.some(([start, end]) => hash >= start && hash <= end);
}

/** Whether a point lies in a box (edges included). */
export function inBox(p: { lat: number; lng: number }, box: LatLngBox): boolean {
  return p.lat >= box.south && p.lat <= box.north && p.lng >= box.west && p.lng <= box.east;
}

/**
 * The items inside a box: first the geohash ranges (what the range query returns), then the exact box.
 * @param items - anything with a location and its geohash
 * @param box - the viewport
 */
export function withinBox<T extends Located>(items: readonly T[], box: LatLngBox): T[] {
  const valid = clampBox(box);
  const ranges = geohashRangesFor(valid);
  return items.filter((i) => inRanges(i.geohash, ranges) && inBox(i.location, valid));
}

/**
 * A box as it travels in the search URL (`?zona=south,west,north,east`, 5 decimals, about a metre).
 * @param box - the area searched
 */
export function formatBox(box: LatLngBox): string {
  return [box.south, box.west, box.north, box.east].map((v) => v.toFixed(5)).join(',');
}

/**
 * The box of a `zona` URL parameter, or null when it is not four numbers forming a valid box (a hand-edited or
 * truncated link then opens the plain search instead of failing).
 * @param text - the parameter
 */
export function parseBox(text: string): LatLngBox | null {
  const parts = text.split(',');
  if (parts.length !== 4 || parts.some((p) => p.trim() === '')) return null;
  const [south, west, north, east] = parts.map(Number);
  if (south === undefined || west === undefined || north === undefined || east === undefined) return null;
  if (![south, west, north, east].every(Number.isFinite)) return null;
  if (south < -90 || north > 90 || west < -180 || east > 180 || south >= north || west >= east) return null;
  return { south, west, north, east };
}
