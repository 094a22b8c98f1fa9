import { describe, expect, it } from 'vitest';
import { geohash } from './geo';

describe('geohash', () => {
  it.each([
    [57.64911, 10.40744, 11, 'u4pruydqqvj'],
    [40.4168, -3.7038, 6, 'ezjmgt'],
    [42.6, -5.6, 5, 'ezs42'],
    [0, 0, 4, 's000'],
  ])('encodes %f,%f to %s chars', (lat, lng, p, want) => {
    expect(geohash(lat, lng, p)).toBe(want);
  });

  it('rejects coordinates out of range', () => {
    expect(() => geohash(91, 0)).toThrow(RangeError);
    expect(() => geohash(0, Number.NaN)).toThrow(RangeError);
  });
});
