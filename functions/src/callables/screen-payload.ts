/**
 * The shape limits every callable payload must meet before anything walks it recursively. firebase-functions decodes
 * the JSON body with a recursive walk before our handler runs: an array nested a few thousand deep overflows the stack
 * there, and an `@type` object it does not know throws; both surfaced as 500 `internal`. So the raw body is screened
 * first (iteratively) and a payload over the limits reaches the handler as a clear invalid-argument instead.
 */
import type { Request } from 'firebase-functions/v2/https';

/** Far deeper than any request schema goes. */
export const MAX_PAYLOAD_DEPTH = 32;
/** Values (of any type, containers included) in one payload; far above any schema's bounds. */
export const MAX_PAYLOAD_VALUES = 10_000;
/** Bytes of the raw JSON body. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Why a decoded or raw payload is refused, or null when its shape is acceptable. Walks iteratively, so no input can
 * overflow the stack here. Refuses: nesting deeper than MAX_PAYLOAD_DEPTH, more than MAX_PAYLOAD_VALUES values, an own
 * `__proto__` key (JSON.parse makes one; decoding by assignment would turn it into a prototype, whose fields zod then
 * reads as if they were sent), an object whose prototype is not a plain object's, and firebase-functions' typed
 * `@type` wrappers (no request schema takes them, and an unknown one makes the decoder throw).
 * @param payload - the request's `data`
 */
export function payloadProblem(payload: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value: payload, depth: 0 }];
  let values = 1;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_PAYLOAD_DEPTH) return `The request is nested deeper than ${MAX_PAYLOAD_DEPTH} levels.`;
    const children: unknown[] = [];
    if (Array.isArray(value)) {
      children.push(...(value.length <= MAX_PAYLOAD_VALUES ? value : []));
      values += value.length;
    } else {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return 'The request holds a forbidden key (__proto__).';
      const entries = Object.entries(value);
      if (entries.some(([k]) => k === '__proto__')) return 'The request holds a forbidden key (__proto__).';
      if (entries.some(([k]) => k === '@type')) return 'The request holds a typed value (@type), which no callable accepts.';
      values += entries.length;
      if (values <= MAX_PAYLOAD_VALUES) for (const [, v] of entries) children.push(v);
    }
    if (values > MAX_PAYLOAD_VALUES) return `The request holds more than ${MAX_PAYLOAD_VALUES} values.`;
    for (const child of children) pending.push({ value: child, depth: depth + 1 });
  }
  return null;
}

/** Refusals found before decoding, by request: defineCallable reports them after its sign-in check. */
const refused = new WeakMap<object, string>();

/**
 * Screens a callable's raw request before firebase-functions decodes it. A refused payload is replaced by null (which
 * decodes safely) and the reason kept for {@link screenedProblemOf}. Bodies firebase-functions rejects on its own
 * (no `data`, extra keys, wrong method) are left to it.
 * @param req - the raw request
 */
export function screenCallableRequest(req: Request): void {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || !('data' in body)) return;
  const raw: unknown = req.rawBody;
  const problem =
    Buffer.isBuffer(raw) && raw.length > MAX_BODY_BYTES ? `The request is larger than ${MAX_BODY_BYTES} bytes.` : payloadProblem(body.data);
  if (problem === null) return;
  refused.set(req, problem);
  req.body = { ...body, data: null };
}

/**
 * The reason the request was refused by {@link screenCallableRequest}, if it was.
 * @param rawRequest - the callable's `rawRequest`
 */
export function screenedProblemOf(rawRequest: object | undefined): string | undefined {
  return rawRequest ? refused.get(rawRequest) : undefined;
}
