import { describe, expect, it } from 'vitest';
import { FirestoreError } from '../firestore/types';
import { MAX_MAPS_PER_REQUEST, parseForward } from './webchannel';

describe('parseForward', () => {
  it('reads the maps present, in index order, with ids from ofs', () => {
    const body = `count=3&ofs=7&req2___data__=${encodeURIComponent('{"b":1}')}&req0___data__=${encodeURIComponent('{"a":1}')}`;
    expect(parseForward(body).maps).toEqual([
      { id: 7, data: '{"a":1}' },
      { id: 9, data: '{"b":1}' },
    ]);
  });

  it('ignores maps at or past count', () => {
    expect(parseForward('count=1&ofs=0&req0___data__=x&req1___data__=y').maps).toEqual([{ id: 0, data: 'x' }]);
  });

  it(`accepts the client's largest batch (${MAX_MAPS_PER_REQUEST} maps) and refuses a larger count`, () => {
    expect(parseForward(`count=${MAX_MAPS_PER_REQUEST}&ofs=0&req999___data__=z`).maps).toEqual([{ id: 999, data: 'z' }]);
    expect(() => parseForward(`count=${MAX_MAPS_PER_REQUEST + 1}&ofs=0`)).toThrow(FirestoreError);
  });

  it.each(['count=100000000&ofs=0', 'count=-1', 'count=1.5', 'count=abc', 'count=1&ofs=-3', 'count=1e3'])('refuses %s', (body) => {
    expect(() => parseForward(body)).toThrow(FirestoreError);
  });

  it('has no maps when count is absent (a handshake may carry none)', () => {
    expect(parseForward('headers=x').maps).toEqual([]);
  });
});
