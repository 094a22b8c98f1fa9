/**
 * `multipart/related` bodies (RFC 2387), as both SDKs send one-shot uploads: a JSON metadata part, then the media.
 * Parsed on bytes, never as text, so binary media survives untouched.
 */

export interface MultipartPart {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

/** A body that is not the multipart document it claims to be; the caller answers 400 with the message. */
export class MultipartError extends Error {
  override name = 'MultipartError';
}

/**
 * Reads the boundary parameter of a multipart Content-Type.
 * @param contentType - e.g. `multipart/related; boundary=abc`
 */
export function boundaryOf(contentType: string): string {
  if (!/^multipart\//i.test(contentType.trim())) throw new MultipartError(`Expected a multipart Content-Type, got "${contentType}"`);
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new MultipartError(`Multipart Content-Type has no boundary: "${contentType}"`);
  return boundary;
}

/**
 * Splits a multipart body into its parts.
 * @param contentType - the request's Content-Type, which names the boundary
 * @param body - the raw body
 */
export function parseMultipart(contentType: string, body: Buffer): MultipartPart[] {
  const boundary = boundaryOf(contentType);
  const delimiter = Buffer.from(`--${boundary}`);
  // Each later delimiter is preceded by CRLF, which belongs to it, not to the part before.
  const inner = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos !== 0 && (pos < 2 || body[pos - 2] !== 0x0d || body[pos - 1] !== 0x0a)) {
    throw new MultipartError('Multipart body does not start with its boundary');
  }
  pos += delimiter.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts;
    // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new MultipartError('Malformed multipart delimiter line');
    const start = pos + 2;
    const end = body.indexOf(inner, start);
    if (end < 0) throw new MultipartError('Multipart body ends without its closing boundary');
    parts.push(parsePart(body.subarray(start, end)));
    pos = end + inner.length;
  }
}

function parsePart(raw: Buffer): MultipartPart {
  const headers: Record<string, string> = {};
  // A part with no headers starts directly with the blank line.
  if (raw.subarray(0, 2).toString('latin1') === '\r\n') return { headers, body: raw.subarray(2) };
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new MultipartError('Multipart part has no blank line after its headers');
  for (const line of raw.subarray(0, split).toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`Malformed multipart header line "${line}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.subarray(split + 4) };
}
