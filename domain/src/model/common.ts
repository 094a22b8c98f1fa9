/** Building blocks shared by every collection schema. */
import { z } from 'zod';

/** A Firestore Timestamp as both SDKs expose it, without depending on either. */
export interface TimestampLike {
  seconds: number;
  nanoseconds: number;
  toDate(): Date;
}

export const timestampSchema = z.custom<TimestampLike>(
  (v) => typeof v === 'object' && v !== null && typeof (v as TimestampLike).seconds === 'number' && typeof (v as TimestampLike).toDate === 'function',
  'Expected a timestamp',
);

export const ROLES = ['patient', 'specialist', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * A document id or uid. Names shaped like `__x__` are refused: Firestore reserves them, and the same test keeps
 * `__proto__` out of every id that ends up as an object key.
 */
export const id = z.string().regex(/^(?!__.*__$)[A-Za-z0-9_-]{1,128}$/, 'Invalid id');

/**
 * Characters refused in free text, whatever the field: C0/C1 controls and DEL (NUL included), lone surrogates, and
 * every format character (Unicode Cf): the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069,
 * U+200E/U+200F, U+061C) that make a specialist read a reason or a name in another order than it was written, and the
 * invisible ones (zero-width space U+200B, U+200C, word joiner U+2060, U+FEFF, soft hyphen U+00AD) that make two
 * names look the same. U+2028/U+2029 are line breaks no form can type. Multi-line fields allow `\n` and `\t` only.
 */
const FORBIDDEN_IN_TEXT = /[\p{Cc}\p{Cs}\p{Cf}\u2028\u2029]/u;
/** A zero-width joiner inside an emoji sequence (👩‍⚕️, 👨‍👩‍👧): the one format character people do type. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)\u200D(?=\p{Extended_Pictographic})/gu;
const TEXT_LINE_BREAKS = /[\n\t]/g;

/** How a free-text field may be written. */
export interface TextOptions {
  /** Allows `\n` and `\t` (reasons, notes, messages, bios); CRLF and CR are normalised to `\n`. Default: one line. */
  multiline?: boolean;
  /** The least length after trimming; default 1 (empty text is refused). */
  min?: number;
}

/**
 * Whether a string carries a character free text refuses (see FORBIDDEN_IN_TEXT).
 * @param value - the text, already normalised
 * @param multiline - whether `\n` and `\t` are allowed
 */
export function hasForbiddenTextCharacter(value: string, multiline: boolean): boolean {
  const visible = value.replace(EMOJI_JOINER, '');
  return FORBIDDEN_IN_TEXT.test(multiline ? visible.replace(TEXT_LINE_BREAKS, '') : visible);
}

/**
 * The one schema of human-written text, used by every free-text field of every schema (names, titles, addresses,
 * reasons, notes, messages): normalised to NFC (so "é" typed two ways is one string, and lengths and comparisons agree)
 * and trimmed, then refused when it carries a control, bidi or invisible character. The length bound applies to the
 * normalised text, in UTF-16 code units as Firestore rules and the web count them.
 * @param max - the longest text accepted
 * @param options - multi-line or not, and the least length
 */
export function text(max: number, options: TextOptions = {}) {
  const multiline = options.multiline ?? false;
  return z
    .string()
    .overwrite((s) => {
      const nfc = s.normalize('NFC');
      return (multiline ? nfc.replace(/\r\n?/g, '\n') : nfc).trim();
    })
    .min(options.min ?? 1)
    .max(max)
    .refine((s) => !hasForbiddenTextCharacter(s, multiline), {
      message: multiline ? 'Control, bidi or invisible characters are not allowed' : 'Line breaks, control, bidi or invisible characters are not allowed',
    });
}

/**
 * One line of text: a name, a title, an address, a short reason.
 * @param max - the longest text accepted
 */
export const shortText = (max: number) => text(max);

/**
 * Text that may span lines: a visit reason, a message, a note, a bio.
 * @param max - the longest text accepted
 * @param min - the least length after trimming; default 1
 */
export const longText = (max: number, min = 1) => text(max, { multiline: true, min });

/**
 * An IANA time zone the runtime knows (validated through Intl, so no zone list is hard-coded). Fixed offsets such as
 * "-05:00", which Intl also accepts, are refused: they ignore daylight saving, so a Madrid visit would drift an hour.
 */
export const timeZone = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, 'Expected an IANA time zone')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Unknown time zone');

/** Money in minor units (cents) with its ISO 4217 currency. */
export const money = z.strictObject({ amount: z.number().int().nonnegative().max(100_000_000), currency: z.string().regex(/^[A-Z]{3}$/) });
export type Money = z.infer<typeof money>;

/** Local wall-clock time "HH:MM". */
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:MM');

/** A calendar date "YYYY-MM-DD" (real days only: no February 30). */
export const isoDate = z.iso.date();
/** A calendar month "YYYY-MM", e.g. a payout period. */
export const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Expected YYYY-MM');
/** A phone number as people type it; normalising to E.164 is the SMS integration's job. */
export const phone = z.string().regex(/^\+?[0-9 ()-]{6,32}$/, 'Invalid phone');
/** A lowercase hex SHA-256 digest (consent texts, idempotent payloads). */
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 hex digest');

/**
 * A Cloud Storage object name: relative, a conservative character set, and no empty segment; every segment starts
 * with a letter, digit, '_' or '-', so '.' and '..' cannot appear. Which prefix a field must use is checked where the
 * owner ids are known (functions and storage.rules), not here.
 */
export const storagePath = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/, 'Invalid storage path');

export const MODALITIES = ['in_person', 'video'] as const;
export type Modality = (typeof MODALITIES)[number];

export const PAYMENT_POLICIES = ['prepay', 'pay_at_visit'] as const;
export type PaymentPolicy = (typeof PAYMENT_POLICIES)[number];

function hasOwnProtoKey(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, '__proto__');
}

/**
 * A map with bounded keys and size. zod's record silently drops an own `__proto__` key (JSON.parse creates one) and
 * reports success; a payload carrying one is hostile, so it is refused before the record sees it.
 * @param key - schema of every key (an id, usually)
 * @param value - schema of every value
 * @param maxEntries - the most keys the map may hold
 */
export function safeRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, maxEntries: number) {
  return z
    .custom<unknown>((v) => !hasOwnProtoKey(v), 'Forbidden key __proto__')
    .pipe(z.record(key, value))
    .refine((r) => Object.keys(r).length <= maxEntries, `At most ${maxEntries} entries`);
}

/**
 * Orders two timestamps (negative when a is earlier).
 * @param a - the first timestamp
 * @param b - the second timestamp
 */
export function compareTimestamps(a: TimestampLike, b: TimestampLike): number {
  return a.seconds - b.seconds || a.nanoseconds - b.nanoseconds;
}

/**
 * Whether every element of a list is distinct.
 * @param list - the values to compare with ===
 */
export function isUnique(list: readonly unknown[]): boolean {
  return new Set(list).size === list.length;
}
