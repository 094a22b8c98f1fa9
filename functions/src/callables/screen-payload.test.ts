import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_DEPTH, MAX_PAYLOAD_VALUES, payloadProblem } from './screen-payload';

/** A value nested `depth` levels deep, built without recursion. */
function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = wrap(v);
  return v;
}

describe('payloadProblem', () => {
  it.each([
    ['a flat request', { clinicId: 'c', active: true, n: 3, none: null }],
    ['scalars and null', 'x'],
    ['an array within the limits', { questions: Array.from({ length: 500 }, (_, i) => ({ id: `q${i}`, options: ['a', 'b'] })) }],
    [`objects nested ${MAX_PAYLOAD_DEPTH} deep`, nested(MAX_PAYLOAD_DEPTH, (a) => ({ a }))],
    ['an object without a prototype', Object.create(null) as unknown],
  ])('accepts %s', (_why, payload) => {
    expect(payloadProblem(payload)).toBeNull();
  });

  it.each([
    [`objects nested ${MAX_PAYLOAD_DEPTH + 1} deep`, nested(MAX_PAYLOAD_DEPTH + 1, (a) => ({ a })), /nested deeper/],
    ['arrays nested 200,000 deep (no stack overflow)', nested(200_000, (a) => [a]), /nested deeper/],
    [`an array of ${MAX_PAYLOAD_VALUES + 1}`, { ids: new Array<number>(MAX_PAYLOAD_VALUES + 1).fill(0) }, /more than/],
    ['many small arrays adding up', { a: Array.from({ length: 200 }, () => new Array<number>(60).fill(0)) }, /more than/],
    ['an own __proto__ key deep down', { x: [{ y: JSON.parse('{"__proto__":{"isAdmin":true}}') as unknown }] }, /__proto__/],
    ['a prototype that decoding made from one', { x: Object.create({ isAdmin: true }) as unknown }, /__proto__/],
    ['an @type wrapper', { n: { '@type': 'type.googleapis.com/google.protobuf.Int64Value', value: 'abc' } }, /@type/],
  ])('refuses %s', (_why, payload, message) => {
    expect(payloadProblem(payload)).toMatch(message);
  });
});
