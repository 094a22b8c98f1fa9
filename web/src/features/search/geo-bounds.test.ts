import { describe, expect, it } from 'vitest';
import { geohash } from '@telesalud/domain';
import { boxToCircle, clampBox, formatBox, geohashRangesFor, inBox, inRanges, parseBox, withinBox } from './geo-bounds';

const BOGOTA_BOX = { south: 4.55, west: -74.2, north: 4.8, east: -73.95 };
const at = (lat: number, lng: number) => ({ location: { lat, lng }, geohash: geohash(lat, lng) });

describe('geo bounds', () => {
  it('the circle around a box reaches its corners', () => {
    const { center, radiusM } = boxToCircle(BOGOTA_BOX);
    expect(center[0]).toBeCloseTo(4.675);
    expect(center[1]).toBeCloseTo(-74.075);
    // Half the diagonal of ~28 km × ~28 km.
    expect(radiusM).toBeGreaterThan(18_000);
    expect(radiusM).toBeLessThan(22_000);
  });

  it('the geohash ranges cover offices inside the box and not those on another continent', () => {
    const ranges = geohashRangesFor(BOGOTA_BOX);
    expect(ranges.length).toBeGreaterThan(0);
    expect(inRanges(geohash(4.6768, -74.0486), ranges)).toBe(true);
    expect(inRanges(geohash(40.4286, -3.6873), ranges)).toBe(false);
  });

  it('keeps exactly the items in the box: ranges first, then the exact box removes cell false positives', () => {
    const inside = at(4.6975, -74.0308);
    const justOutside = at(4.81, -74.0); // in a neighbouring cell the ranges may include
    const medellin = at(6.2087, -75.5672);
    expect(withinBox([inside, justOutside, medellin], BOGOTA_BOX)).toEqual([inside]);
  });

  it('box edges are inside', () => {
    expect(inBox({ lat: 4.55, lng: -74.2 }, BOGOTA_BOX)).toBe(true);
    expect(inBox({ lat: 4.5499, lng: -74.2 }, BOGOTA_BOX)).toBe(false);
  });

  it('a zero-size box still yields ranges around its point', () => {
    const p = at(19.4284, -99.1627);
    expect(withinBox([p], { south: 19.4284, west: -99.1627, north: 19.4284, east: -99.1627 })).toEqual([p]);
  });

  it('a viewport where the world repeats is clamped to valid coordinates', () => {
    expect(clampBox({ south: -95, west: -200, north: 95, east: 100 })).toEqual({ south: -90, west: -180, north: 90, east: 100 });
    expect(clampBox({ south: 0, west: -300, north: 10, east: 300 })).toEqual({ south: 0, west: -180, north: 10, east: 180 });
    const p = at(4.6768, -74.0486);
    expect(withinBox([p], { south: -60, west: -200, north: 70, east: 100 })).toEqual([p]);
  });
});

describe('the area in the URL', () => {
  it('survives the trip to text and back at 5 decimals', () => {
    const text = formatBox({ south: 4.551234567, west: -74.2, north: 4.8, east: -73.95 });
    expect(text).toBe('4.55123,-74.20000,4.80000,-73.95000');
    expect(parseBox(text)).toEqual({ south: 4.55123, west: -74.2, north: 4.8, east: -73.95 });
  });

  it.each([
    ['three numbers', '1,2,3'],
    ['five numbers', '1,2,3,4,5'],
    ['an empty part', '1,,3,4'],
    ['words', 'a,b,c,d'],
    ['infinity', '1,2,Infinity,4'],
    ['south above north', '10,0,5,1'],
    ['west beyond east', '0,10,1,5'],
    ['a latitude beyond 90', '0,0,91,1'],
    ['a longitude beyond 180', '0,0,1,181'],
    ['an empty parameter', ''],
  ])('refuses %s', (_name, text) => {
    expect(parseBox(text)).toBeNull();
  });
});

