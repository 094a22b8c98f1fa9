import { describe, expect, it } from 'vitest';
import es from './es.json';
import en from './en.json';

function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('locales', () => {
  it('Spanish and English have the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(es).sort());
  });
  it('no message is empty', () => {
    for (const [name, file] of [['es', es], ['en', en]] as const) {
      const empty = keys(file).filter((k) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], file) === '');
      expect(empty, name).toEqual([]);
    }
  });
});
