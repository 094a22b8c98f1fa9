import { describe, expect, it } from 'vitest';
import { MultipartError, boundaryOf, parseMultipart } from './multipart';

const CT = 'multipart/related; boundary=XyZ';
const doc = (...chunks: (string | Buffer)[]) => Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'latin1') : c)));

describe('multipart/related', () => {
  it('splits metadata and binary media, bytes untouched (CR, LF and dashes inside the media included)', () => {
    const media = Buffer.from([0, 13, 10, 45, 45, 88, 121, 255, 13, 10]);
    const body = doc('--XyZ\r\nContent-Type: application/json; charset=utf-8\r\n\r\n{"name":"a/b"}\r\n--XyZ\r\nContent-Type: image/png\r\n\r\n', media, '\r\n--XyZ--');
    const parts = parseMultipart(CT, body);
    expect(parts).toHaveLength(2);
    expect(parts[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(parts[0]?.body.toString()).toBe('{"name":"a/b"}');
    expect(parts[1]?.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(parts[1]?.body ?? Buffer.alloc(0), media)).toBe(0);
  });

  it('accepts a quoted boundary, a preamble, an empty media part and a trailing CRLF', () => {
    const body = doc('preamble\r\n--a b\r\nContent-Type: application/json\r\n\r\n{}\r\n--a b\r\n\r\n\r\n--a b--\r\n');
    const parts = parseMultipart('multipart/related; boundary="a b"', body);
    expect(parts.map((p) => p.body.toString())).toEqual(['{}', '']);
    expect(parts[1]?.headers).toEqual({});
  });

  it('refuses what is not a multipart document, with a reason', () => {
    expect(() => boundaryOf('application/json')).toThrow(MultipartError);
    expect(() => boundaryOf('multipart/related')).toThrow(/no boundary/);
    expect(() => parseMultipart(CT, doc('garbage'))).toThrow(/does not start with its boundary/);
    expect(() => parseMultipart(CT, doc('--XyZ\r\nContent-Type: text/plain\r\n\r\nunterminated'))).toThrow(/closing boundary/);
    expect(() => parseMultipart(CT, doc('--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--'))).toThrow(/header line/);
    expect(() => parseMultipart(CT, doc('--XyZ\r\nContent-Type: text/plain\r\nx\r\n--XyZ--'))).toThrow(/blank line/);
  });
});
