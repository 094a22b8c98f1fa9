/** Geohash encoding (base32, as geofire uses) for range queries by area. Pure and SDK-free. */
const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * Encodes a coordinate.
 * @param lat - latitude in degrees, -90..90
 * @param lng - longitude in degrees, -180..180
 * @param precision - characters, 1..22 (10 ≈ 1 m)
 */
export function geohash(lat: number, lng: number, precision = 10): string {
  if (!(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) throw new RangeError(`Invalid coordinate ${lat},${lng}`);
  let latMin = -90;
  let latMax = 90;
  let lngMin = -180;
  let lngMax = 180;
  let hash = '';
  let bits = 0;
  let ch = 0;
  let even = true;
  while (hash.length < precision) {
    if (even) {
      const mid = (lngMin + lngMax) / 2;
      if (lng >= mid) {
        ch = (ch << 1) | 1;
        lngMin = mid;
      } else {
        ch <<= 1;
        lngMax = mid;
      }
    } else {
      const mid = (latMin + latMax) / 2;
      if (lat >= mid) {
        ch = (ch << 1) | 1;
        latMin = mid;
      } else {
        ch <<= 1;
        latMax = mid;
      }
    }
    even = !even;
    if (++bits === 5) {
      hash += BASE32[ch];
      bits = 0;
      ch = 0;
    }
  }
  return hash;
}
