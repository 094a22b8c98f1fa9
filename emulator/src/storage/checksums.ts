/**
 * The two object checksums Cloud Storage reports, in its wire format (base64 of the digest bytes). The admin SDK
 * checks downloads against `x-goog-hash`, so these must be exactly what GCS would compute.
 */
import { createHash } from 'node:crypto';

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78); node:zlib only offers plain CRC-32. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32C of some bytes as an unsigned 32-bit number.
 * @param bytes - the data
 */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * CRC-32C as GCS writes it: base64 of the big-endian 4 bytes.
 * @param bytes - the data
 */
export function crc32cBase64(bytes: Uint8Array): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32c(bytes));
  return out.toString('base64');
}

/**
 * MD5 as GCS writes it: base64 of the 16 digest bytes.
 * @param bytes - the data
 */
export function md5Base64(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}
