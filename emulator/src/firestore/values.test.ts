import { describe, expect, it } from 'vitest';
import { FirestoreError, type Value } from './types';
import {
  checkFields,
  checkValue,
  compareReferences,
  compareStrings,
  compareValues,
  getField,
  parseFieldPath,
  parseWritableFieldPath,
  sameFields,
  sameValue,
  valuesEqual,
} from './values';

const int = (n: string | number): Value => ({ integerValue: String(n) });
const dbl = (n: number): Value => ({ doubleValue: n });
const str = (s: string): Value => ({ stringValue: s });

describe('Firestore value order', () => {
  // Each row is strictly less than the next, as Firestore orders values across and within types.
  const ascending: [string, Value][] = [
    ['null', { nullValue: null }],
    ['false', { booleanValue: false }],
    ['true', { booleanValue: true }],
    ['NaN', dbl(Number.NaN)],
    ['-Infinity', dbl(-Infinity)],
    ['min int64', int('-9223372036854775808')],
    ['-1.5', dbl(-1.5)],
    ['0', int(0)],
    ['0.5', dbl(0.5)],
    ['2^53', int('9007199254740992')],
    ['2^53+1', int('9007199254740993')],
    ['max int64', int('9223372036854775807')],
    ['Infinity', dbl(Infinity)],
    ['epoch', { timestampValue: '1970-01-01T00:00:00Z' }],
    ['epoch+1ns', { timestampValue: '1970-01-01T00:00:00.000000001Z' }],
    ['empty string', str('')],
    ['"Z"', str('Z')],
    ['"a"', str('a')],
    ['"é"', str('é')],
    ['"😀" (beyond the BMP sorts after U+FFFD by code point)', str('😀')],
    ['bytes 00', { bytesValue: 'AA==' }],
    ['bytes ff', { bytesValue: '/w==' }],
    ['ref a/1', { referenceValue: 'projects/p/databases/(default)/documents/a/1' }],
    ['ref a/1/b/1', { referenceValue: 'projects/p/databases/(default)/documents/a/1/b/1' }],
    ['ref b/1', { referenceValue: 'projects/p/databases/(default)/documents/b/1' }],
    ['geo -10,50', { geoPointValue: { latitude: -10, longitude: 50 } }],
    ['geo 0,0', { geoPointValue: { latitude: 0, longitude: 0 } }],
    ['[]', { arrayValue: {} }],
    ['[1]', { arrayValue: { values: [int(1)] } }],
    ['[1, "a"]', { arrayValue: { values: [int(1), str('a')] } }],
    ['[2]', { arrayValue: { values: [int(2)] } }],
    ['{}', { mapValue: {} }],
    ['{a: 1}', { mapValue: { fields: { a: int(1) } } }],
    ['{a: 2}', { mapValue: { fields: { a: int(2) } } }],
    ['{b: 0}', { mapValue: { fields: { b: int(0) } } }],
  ];
  for (let i = 0; i < ascending.length - 1; i++) {
    const [an, a] = ascending[i] as [string, Value];
    const [bn, b] = ascending[i + 1] as [string, Value];
    it(`${an} < ${bn}`, () => {
      expect(compareValues(a, b)).toBeLessThan(0);
      expect(compareValues(b, a)).toBeGreaterThan(0);
    });
  }
});

describe('Firestore value equality', () => {
  it.each([
    ['1 == 1.0', int(1), dbl(1), true],
    ['-0 == 0', dbl(-0), int(0), true],
    ['NaN != NaN', dbl(Number.NaN), dbl(Number.NaN), false],
    ['2^53+1 != 2^53 as double', int('9007199254740993'), dbl(9007199254740992), false],
    ['"1" != 1', str('1'), int(1), false],
    ['maps ignore key order', { mapValue: { fields: { a: int(1), b: int(2) } } }, { mapValue: { fields: { b: int(2), a: dbl(1) } } }, true],
    ['arrays keep order', { arrayValue: { values: [int(1), int(2)] } }, { arrayValue: { values: [int(2), int(1)] } }, false],
    ['null == null', { nullValue: null }, { nullValue: null }, true],
  ] as [string, Value, Value, boolean][])('%s', (_n, a, b, want) => {
    expect(valuesEqual(a, b)).toBe(want);
  });

  it('compares strings by code point, not UTF-16 unit', () => {
    // U+FF5E (one unit) vs U+1F600 (surrogate pair starting 0xD83D): UTF-16 order would say the emoji is smaller.
    expect(compareStrings('～', '😀')).toBeLessThan(0);
  });
});

describe('field paths', () => {
  it.each([
    ['a.b.c', ['a', 'b', 'c']],
    ['`a.b`.c', ['a.b', 'c']],
    ['`we\\`ird`', ['we`ird']],
  ])('%s', (p, want) => {
    expect(parseFieldPath(p)).toEqual(want);
  });
  it.each(['', 'a..b', '.a', 'a.', '`open'])('rejects %j', (p) => {
    expect(() => parseFieldPath(p)).toThrow();
  });
});

describe('one value, one type (checkValue validates what enters the engine)', () => {
  it.each([
    ['two types', { stringValue: 'a', mapValue: { fields: {} } }],
    ['no type', {}],
    ['an unknown type', { fooValue: 1 }],
    ['an inherited-looking key', { constructor: 1 }],
    ['a nested two-typed value', { arrayValue: { values: [{ booleanValue: true, nullValue: null }] } }],
    ['an extra key beside values', { arrayValue: { values: [], fields: {} } }],
    ['a string double', { doubleValue: 'abc' }],
    ['a fractional integer', { integerValue: 1.5 }],
    ['a relative reference', { referenceValue: 'users/u1' }],
    ['a geo point out of range', { geoPointValue: { latitude: 91, longitude: 0 } }],
  ])('refuses %s', (_, v) => {
    expect(() => checkValue(v)).toThrow(FirestoreError);
  });

  it('accepts each well-formed type, NULL_VALUE as the web SDK sends it included', () => {
    for (const v of [
      { nullValue: 'NULL_VALUE' },
      { integerValue: '-9223372036854775808' },
      { referenceValue: 'projects/p/databases/(default)/documents/a/b' },
      { mapValue: { fields: { a: { arrayValue: { values: [{ bytesValue: 'AAE=' }] } } } } },
    ])
      expect(() => checkValue(v)).not.toThrow();
  });

  it('refuses reserved map keys at any depth', () => {
    expect(() => checkFields(JSON.parse('{"__proto__":{"stringValue":"x"}}'))).toThrow(FirestoreError);
    expect(() => checkFields({ m: { mapValue: { fields: { __x__: { nullValue: null } } } } })).toThrow(FirestoreError);
  });
});

describe('field paths and reserved names', () => {
  it.each(['__proto__', '__proto__.x', 'a.__name__', '`__x__`', 'a.`__y__`.b'])('parseFieldPath refuses %s', (p) => {
    expect(() => parseFieldPath(p)).toThrow(FirestoreError);
  });

  it('allows __name__ as a whole path for reads, never for writes', () => {
    expect(parseFieldPath('__name__')).toEqual(['__name__']);
    expect(() => parseWritableFieldPath('__name__')).toThrow(FirestoreError);
    expect(parseWritableFieldPath('`a.b`.__c')).toEqual(['a.b', '__c']);
  });

  it('getField reads own keys only (constructor is not Object.prototype.constructor)', () => {
    expect(getField({}, ['constructor'])).toBeUndefined();
    expect(getField({ m: { mapValue: { fields: {} } } }, ['m', 'toString'])).toBeUndefined();
  });
});

describe('integers compare exactly on both sides of the double-precision fast path', () => {
  it.each([
    ['15 digits below 16', '999999999999999', '1000000000000000'],
    ['16-digit neighbours', '9007199254740992', '9007199254740993'],
    ['min int64 below a small negative', '-9223372036854775808', '-1'],
    ['a number-typed integer below a string one', 5, '6'],
  ] as [string, string | number, string | number][])('%s', (_, a, b) => {
    expect(compareValues(int(a), int(b))).toBeLessThan(0);
    expect(compareValues(int(b), int(a))).toBeGreaterThan(0);
    expect(compareValues(int(a), int(a))).toBe(0);
  });
});

describe('document names compare segment by segment', () => {
  const docs = 'projects/p/databases/(default)/documents';
  it.each([
    // "a" is a prefix of "a!": the shorter segment first, though "/" sorts after "!" character by character.
    ['a segment before a longer one it prefixes', `${docs}/c/a/x/1`, `${docs}/c/a!`],
    ['fewer segments first', `${docs}/c/a`, `${docs}/c/a/d/1`],
    ['by code point inside a segment', `${docs}/c/～`, `${docs}/c/😀`],
    ['by the second unit of a surrogate pair', `${docs}/c/😀`, `${docs}/c/😁`],
    ['an unpaired high surrogate before the pair it starts', `${docs}/c/x\uD83D`, `${docs}/c/x😀`],
    ['by the first differing segment only', `${docs}/a/z/b/a`, `${docs}/b/a`],
  ])('%s', (_, a, b) => {
    expect(compareReferences(a, b)).toBeLessThan(0);
    expect(compareReferences(b, a)).toBeGreaterThan(0);
    expect(compareReferences(a, a)).toBe(0);
  });
});

describe('the same stored value (a write of it changes nothing)', () => {
  const map = (fields: Record<string, Value>): Value => ({ mapValue: { fields } });
  it.each([
    ['the same integer, written differently', int('007'), int(7), true],
    ['an integer and the equal double', int(1), dbl(1), false],
    ['0 and -0', dbl(0), dbl(-0), false],
    ['NaN and NaN', dbl(Number.NaN), dbl(Number.NaN), true],
    ['one instant in two notations', { timestampValue: '2024-01-01T00:00:00Z' }, { timestampValue: '2024-01-01T00:00:00.000000Z' }, true],
    ['one byte string in both base64 alphabets', { bytesValue: '+/8=' }, { bytesValue: '-_8=' }, true],
    ['maps in another key order', map({ a: int(1), b: str('x') }), map({ b: str('x'), a: int(1) }), true],
    ['a map with one key more', map({ a: int(1) }), map({ a: int(1), b: { nullValue: null } }), false],
    ['arrays in another order', { arrayValue: { values: [int(1), int(2)] } }, { arrayValue: { values: [int(2), int(1)] } }, false],
    ['an empty map and an empty array', { mapValue: {} }, { arrayValue: {} }, false],
  ] as [string, Value, Value, boolean][])('%s', (_, a, b, want) => {
    expect(sameValue(a, b)).toBe(want);
    expect(sameValue(b, a)).toBe(want);
  });

  it('compares own keys only, and a stored value of no type is never the same', () => {
    expect(sameFields({}, { constructor: int(1) })).toBe(false);
    expect(sameFields({ constructor: int(1) }, {})).toBe(false);
    expect(sameFields(JSON.parse('{"a":{}}'), { a: map({}) })).toBe(false);
  });
});
