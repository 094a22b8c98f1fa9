/** Proto3 JSON for the HTTP transports: doubles that JSON cannot carry travel as "NaN" / "Infinity" / "-Infinity". */
import type http from 'node:http';
import { Code, CODE_NAMES, FirestoreError, type CodeNumber } from '../firestore/types';

export function encode(v: unknown): string {
  return JSON.stringify(v, (key, value: unknown) =>
    key === 'doubleValue' && typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

/**
 * A proto3-JSON double given as a string: "NaN", "Infinity", "-Infinity" or a number in decimal. Anything else is
 * left as the string, for value validation to refuse (Number("abc") would have stored NaN).
 */
function doubleOf(s: string): number | string {
  if (s === 'NaN') return Number.NaN;
  const n = Number(s);
  return s.trim() === '' || Number.isNaN(n) ? s : n;
}

/** Parses request JSON; malformed input is INVALID_ARGUMENT, never a crash. */
export function decode<T>(text: string): T {
  try {
    return JSON.parse(text, (key, value: unknown) => (key === 'doubleValue' && typeof value === 'string' ? doubleOf(value) : value)) as T;
  } catch {
    throw new FirestoreError(Code.INVALID_ARGUMENT, 'Request body is not valid JSON');
  }
}

/**
 * Parses a request body that must be a JSON object (every request message is one): `null`, an array or a bare
 * number is INVALID_ARGUMENT, not a TypeError deeper in.
 * @param text - the body; empty means `{}`
 * @param what - the message's name, for the error
 */
export function decodeObject<T extends object>(text: string, what: string): T {
  const v = decode<unknown>(text === '' ? '{}' : text);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new FirestoreError(Code.INVALID_ARGUMENT, `${what} must be a JSON object`);
  return v as T;
}

/**
 * A request body over the size limit. It answers HTTP 413; its code is INVALID_ARGUMENT because retrying the same
 * body can never succeed (the SDKs retry RESOURCE_EXHAUSTED).
 */
export class PayloadTooLargeError extends FirestoreError {
  constructor(limit: number) {
    super(Code.INVALID_ARGUMENT, `Request body larger than the ${limit / (1024 * 1024)} MiB limit`);
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * Decodes a percent-encoded URL component; a broken escape (`%zz`, a lone `%`) is INVALID_ARGUMENT, not a URIError.
 * @param s - the encoded text
 */
export function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Malformed percent-encoding in ${s.slice(0, 200)}`);
  }
}

const HTTP_STATUS: Record<CodeNumber, number> = {
  0: 200,
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

export function httpStatusOf(code: CodeNumber): number {
  return HTTP_STATUS[code];
}

/** Any thrown value as a FirestoreError (unexpected ones become INTERNAL, with the message kept for the developer). */
export function asFirestoreError(e: unknown): FirestoreError {
  if (e instanceof FirestoreError) return e;
  return new FirestoreError(Code.INTERNAL, e instanceof Error ? e.message : String(e));
}

/** Writes a Google JSON error body with the matching HTTP status. */
export function sendError(res: http.ServerResponse, e: unknown): void {
  const err = asFirestoreError(e);
  const status = err instanceof PayloadTooLargeError ? 413 : httpStatusOf(err.code);
  if (res.headersSent) {
    res.end();
    return;
  }
  // After an oversized body the connection is not reused: the client may still be sending when it reads the answer.
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...(status === 413 ? { Connection: 'close' } : {}) });
  res.end(encode({ error: { code: status, message: err.message, status: CODE_NAMES[err.code] } }));
}

export function sendJson(res: http.ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(encode(body));
}

/**
 * The largest request body read. Firestore's own limit is 10 MiB per request; bodies are JSON or form-encoded, which
 * can make a valid 10 MiB request longer on the wire, so the transport allows more and Firestore's limits on
 * documents (1 MiB) and writes per commit (500) do the rest.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/**
 * How much of an oversized body is read and dropped before giving up on the connection: reading it lets the 413
 * reach the client (closing mid-upload resets the connection before the client reads any answer); the cap keeps an
 * endless body from being read for ever.
 */
const MAX_DISCARD_BYTES = 4 * MAX_BODY_BYTES;

/**
 * Reads a request body as text. A body over MAX_BODY_BYTES (by Content-Length or as it arrives) rejects with
 * PayloadTooLargeError (HTTP 413) once the rest is drained, and the connection is closed after the answer.
 */
export function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (!tooLarge && size > limit) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (!tooLarge) chunks.push(c);
      else if (size > limit + MAX_DISCARD_BYTES) {
        reject(new PayloadTooLargeError(limit));
        req.destroy();
      }
    });
    req.on('end', () => {
      if (tooLarge) reject(new PayloadTooLargeError(limit));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** CORS for credentialed cross-origin calls: the exact origin, never `*`. */
export function applyCors(req: http.IncomingMessage, res: http.ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('Access-Control-Expose-Headers', 'X-HTTP-Session-Id, Content-Type');
}

export function answerPreflight(req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': headers ?? 'Content-Type, Authorization',
    'Access-Control-Max-Age': '86400',
  });
  res.end();
}
