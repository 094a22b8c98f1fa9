/** Proto3 JSON for the HTTP transports: doubles that JSON cannot carry travel as "NaN" / "Infinity" / "-Infinity". */
import type http from 'node:http';
import { Code, CODE_NAMES, FirestoreError, type CodeNumber } from '../firestore/types';

export function encode(v: unknown): string {
  return JSON.stringify(v, (key, value: unknown) =>
    key === 'doubleValue' && typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

/** Parses request JSON; malformed input is INVALID_ARGUMENT, never a crash. */
export function decode<T>(text: string): T {
  try {
    return JSON.parse(text, (key, value: unknown) =>
      key === 'doubleValue' && typeof value === 'string' ? Number(value) : value,
    ) as T;
  } catch {
    throw new FirestoreError(Code.INVALID_ARGUMENT, 'Request body is not valid JSON');
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
  const status = httpStatusOf(err.code);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(encode({ error: { code: status, message: err.message, status: CODE_NAMES[err.code] } }));
}

export function sendJson(res: http.ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(encode(body));
}

const MAX_BODY = 16 * 1024 * 1024;

/** Reads a request body as text, refusing bodies over 16 MiB. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new FirestoreError(Code.RESOURCE_EXHAUSTED, 'Request body larger than 16 MiB'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
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
