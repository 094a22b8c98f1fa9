import { createHash, randomBytes } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cBase64, md5Base64 } from './checksums';

describe('checksums', () => {
  it('computes CRC-32C (the RFC 3720 check value, and what @google-cloud/storage computes)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    for (const bytes of [Buffer.from('hello world'), randomBytes(1), randomBytes(70_001)]) {
      const reference = new CRC32C();
      reference.update(bytes);
      expect(crc32cBase64(bytes)).toBe(reference.toString());
    }
  });

  it('writes MD5 as base64 of the digest', () => {
    const bytes = randomBytes(999);
    expect(md5Base64(bytes)).toBe(createHash('md5').update(bytes).digest('base64'));
  });
});
