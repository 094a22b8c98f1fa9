import { describe, expect, it } from 'vitest';
import { longText, shortText, text } from './common';

const one = shortText(40);
const lines = longText(40);

/** [why, input, what one-line text gives (null: refused), what multi-line text gives]. */
const TABLE: [string, string, string | null, string | null][] = [
  ['plain Spanish', 'Dolor de cabeza', 'Dolor de cabeza', 'Dolor de cabeza'],
  ['trimmed', '  Control anual \t', 'Control anual', 'Control anual'],
  ['decomposed é is composed (NFC)', 'Jose\u0301', 'José', 'José'],
  ['ñ decomposed', 'Mun\u0303oz', 'Muñoz', 'Muñoz'],
  ['emoji', 'Gracias 🙏', 'Gracias 🙏', 'Gracias 🙏'],
  ['an emoji joined with ZWJ', 'Familia 👨‍👩‍👧', 'Familia 👨‍👩‍👧', 'Familia 👨‍👩‍👧'],
  ['an emoji with variation selector and ZWJ', 'Doctora 👩‍⚕️', 'Doctora 👩‍⚕️', 'Doctora 👩‍⚕️'],
  ['Arabic and Hebrew letters are text', 'مرحبا שלום', 'مرحبا שלום', 'مرحبا שלום'],
  ['a newline', 'Dolor\ndesde ayer', null, 'Dolor\ndesde ayer'],
  ['a tab', 'Dosis:\t2', null, 'Dosis:\t2'],
  ['CRLF becomes LF', 'a\r\nb', null, 'a\nb'],
  ['a lone CR becomes LF', 'a\rb', null, 'a\nb'],
  ['NUL', 'a\u0000b', null, null],
  ['BEL', 'a\u0007b', null, null],
  ['ESC (terminal escapes)', 'a\u001b[31mb', null, null],
  ['DEL', 'a\u007fb', null, null],
  ['a C1 control', 'a\u0085b', null, null],
  ['right-to-left override U+202E', 'Pago \u202Eodaborpa', null, null],
  ['left-to-right embedding U+202A', 'a\u202Ab', null, null],
  ['pop directional formatting U+202C', 'a\u202Cb', null, null],
  ['right-to-left isolate U+2067', 'a\u2067b', null, null],
  ['pop directional isolate U+2069', 'a\u2069b', null, null],
  ['right-to-left mark U+200F', 'a\u200Fb', null, null],
  ['Arabic letter mark U+061C', 'a\u061Cb', null, null],
  ['zero-width space U+200B', 'Ana\u200BTorres', null, null],
  ['zero-width non-joiner U+200C', 'a\u200Cb', null, null],
  ['zero-width joiner between letters', 'a\u200Db', null, null],
  ['a dangling ZWJ after an emoji', '👩\u200D', null, null],
  ['word joiner U+2060', 'a\u2060b', null, null],
  ['BOM U+FEFF inside', 'a\uFEFFb', null, null],
  ['soft hyphen U+00AD', 'Ana\u00ADTorres', null, null],
  ['line separator U+2028', 'a\u2028b', null, null],
  ['paragraph separator U+2029', 'a\u2029b', null, null],
  ['a lone high surrogate', 'a\uD800b', null, null],
  ['a lone low surrogate', 'a\uDC00b', null, null],
  ['only spaces', '   ', null, null],
  ['only newlines', '\n\n', null, null],
  ['empty', '', null, null],
  ['41 characters', 'x'.repeat(41), null, null],
  ['40 characters', 'x'.repeat(40), 'x'.repeat(40), 'x'.repeat(40)],
];

describe('the text schema', () => {
  it.each(TABLE)('%s', (_why, input, single, multi) => {
    const a = one.safeParse(input);
    const b = lines.safeParse(input);
    expect(a.success ? a.data : null).toBe(single);
    expect(b.success ? b.data : null).toBe(multi);
  });

  it('bounds the normalised text: 40 decomposed é are 80 code units typed and 40 stored', () => {
    expect(one.safeParse('e\u0301'.repeat(40)).data).toBe('é'.repeat(40));
  });

  it('allows empty text only when asked', () => {
    expect(text(10, { min: 0 }).safeParse('  ').data).toBe('');
    expect(longText(10, 0).safeParse('').success).toBe(true);
    expect(text(10).safeParse('').success).toBe(false);
  });
});
