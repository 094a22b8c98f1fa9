/**
 * Client-written collections (writers 'client:…' in COLLECTIONS), field by field. Each table row starts from the
 * app's valid create or update, which succeeds, and derives the refusals from the spec: one per extra key, per field
 * outside clientFields (server-owned), per owner id that is not the caller, per timestamp that is not request.time,
 * per client field of the wrong type, per bounded client string one character too long and per free-text field
 * carrying a control, bidi or invisible character (while an emoji joined by ZWJ, and a newline where the field has
 * lines, are written); plus what the notes say
 * (path ids, version bumps, cross-field rules). Then the server-owned fields of server-written documents: statuses,
 * prices, visibility flags and grants are never client-written, not even by the people who read them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import {
  deleteField,
  doc,
  FieldValue,
  setDoc,
  Timestamp,
  updateDoc,
  type DocumentData,
  type Firestore,
} from 'firebase/firestore';
import { z } from 'zod';
import { availabilityExceptionId, paths, payoutId, type CollectionName } from '../../domain/src';
import { HOSTILE_CHARACTERS, setAt, slipIn, stringLeaves, type FieldPath } from '../../domain/src/model/testing';
import { startRulesEnv, type RulesEnv } from './support/env';
import { settle } from './support/outcome';
import {
  ACTORS,
  afterUpdate,
  CLINIC,
  collectionOfPath,
  dbOf,
  ID,
  OTHER_CLINIC,
  resolveSentinels,
  restore,
  schemaAccepts,
  seedWorld,
  specOf,
  UID,
  validCreate,
  validUpdate,
  type ActorKey,
  type ClientWritable,
} from './support/world';

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv('demo-rules-client-writes');
  await seedWorld(env);
});
afterAll(async () => env?.close());

const dbCache = new Map<string, Firestore>();
/** One Firestore per caller for the whole file (a context per request would cost an app each). */
function callerDb(key: ActorKey): Firestore {
  const cached = dbCache.get(key);
  if (cached) return cached;
  const db = dbOf(env, ACTORS[key]);
  dbCache.set(key, db);
  return db;
}

let fresh = 0;
/** A new id for each attempt: a refused create leaves nothing, and an unexpected success cannot turn the next into an update. */
const nextId = (prefix: string) => `${prefix}-${++fresh}`;

/** Where and as whom a create is attempted. */
interface CreateAt {
  readonly path: string;
  readonly uid: string;
  db(): Firestore;
}

/** A refusal the notes of the spec add, beyond the generated ones. */
interface Extra {
  readonly label: string;
  /** The document to write; the row's fresh path when absent. */
  readonly at?: () => CreateAt;
  readonly data: (valid: DocumentData, uid: string) => DocumentData;
  /** What the schema says of the document written: 'valid' (refused for authority only) or 'invalid'. */
  readonly schema?: 'valid' | 'invalid';
}

/** A client string a person reads, and whether it may span lines (firestore.rules' isCleanText / isCleanMultiline). */
type FreeText = readonly [FieldPath, 'line' | 'lines'];

interface CreateRow {
  /** A fresh document of the collection and who creates it (a fresh uid for users/{uid}). */
  readonly at: () => CreateAt;
  /** Fields the client must not set (everything outside clientFields.create, and owner ids not the caller), with a schema-valid value. */
  readonly protectedValues: (uid: string) => DocumentData;
  /** Client string fields with a bound, and a value one character over it. */
  readonly overLong: readonly (readonly [FieldPath, string])[];
  /** Every free-text field of the payload (a test checks none is missing). */
  readonly freeText: readonly FreeText[];
  readonly extras?: readonly Extra[];
}

interface UpdateRow {
  readonly writer: ActorKey;
  /** The seeded document updated. */
  readonly path: string;
  readonly protectedValues: (uid: string) => DocumentData;
  readonly overLong: readonly (readonly [FieldPath, string])[];
  readonly freeText: readonly FreeText[];
  readonly extras?: readonly {
    readonly label: string;
    readonly patch: (valid: DocumentData) => DocumentData;
    readonly schema?: 'valid' | 'invalid';
  }[];
}

interface WriteRow {
  readonly name: ClientWritable;
  readonly create?: CreateRow;
  readonly update?: UpdateRow;
}

const writerAt = (key: ActorKey, docPath: string): CreateAt => {
  const uid = ACTORS[key].uid;
  if (uid === null) throw new Error('a create row needs a signed-in writer');
  return { path: docPath, uid, db: () => callerDb(key) };
};
const long = (n: number, c = 'x') => c.repeat(n);
const longEmail = `${long(250)}@a.co`;
const past = () => Timestamp.fromMillis(Date.now() - 60_000);
const exceptionPath = (date: string, officeId?: string) =>
  paths.exception(UID.lopez, availabilityExceptionId(date, officeId));
let days = 0;
/** An exception on a day of its own at the office (the id is the date), so that every attempt is a create. */
const freshExceptionAt = (): CreateAt => {
  const date = new Date(Date.UTC(2030, 0, 1) + days++ * 86_400_000).toISOString().slice(0, 10);
  return writerAt('assignedSpecialist', exceptionPath(date, ID.office));
};

const ROWS: readonly WriteRow[] = [
  {
    name: 'users',
    create: {
      // "a profile exists before any role": a new account, no claims yet, creates users/{its uid}.
      at: () => {
        const uid = nextId('p-nuevo');
        return { path: paths.user(uid), uid, db: () => env.as(uid, {}) };
      },
      protectedValues: () => ({ roleStatus: 'active', claimsSyncedAt: Timestamp.now() }),
      overLong: [
        [['displayName'], long(121)],
        [['email'], longEmail],
        [['phone'], long(33, '1')],
        [['timeZone'], long(65, 'A')],
      ],
      freeText: [[['displayName'], 'line']],
      extras: [
        { label: 'requestedRole staff', data: (v) => ({ ...v, requestedRole: 'staff' }), schema: 'invalid' },
        { label: 'requestedRole admin', data: (v) => ({ ...v, requestedRole: 'admin' }), schema: 'invalid' },
        {
          label: 'an email that is not an address',
          data: (v) => ({ ...v, email: 'ana-en-example.test' }),
          schema: 'invalid',
        },
        { label: 'locale fr', data: (v) => ({ ...v, locale: 'fr' }), schema: 'invalid' },
        { label: 'roles in the profile', data: (v) => ({ ...v, roles: ['admin'] }), schema: 'invalid' },
        {
          label: "someone else's profile",
          schema: 'valid',
          at: () => writerAt('otherPatient', paths.user(nextId('p-otro'))),
          data: (v) => v,
        },
      ],
    },
    update: {
      writer: 'ownerPatient',
      path: paths.user(UID.ana),
      protectedValues: () => ({
        email: 'otra@example.test',
        requestedRole: 'specialist',
        createdAt: Timestamp.now(),
        roleStatus: 'pending_review',
        claimsSyncedAt: Timestamp.now(),
      }),
      overLong: [
        [['displayName'], long(121)],
        [['phone'], long(33, '1')],
        [['timeZone'], long(65, 'A')],
      ],
      freeText: [[['displayName'], 'line']],
    },
  },
  {
    name: 'notifications',
    update: {
      writer: 'ownerPatient',
      path: paths.notification(UID.ana, ID.notification),
      protectedValues: () => ({
        kind: 'payment_due',
        title: 'Pago pendiente',
        body: 'Paga tu cita antes de mañana.',
        link: '/pagos',
        createdAt: Timestamp.now(),
        channels: ['in_app'],
      }),
      overLong: [],
      freeText: [],
    },
  },
  {
    name: 'clinicPatients',
    create: {
      at: () => writerAt('clinicStaff', paths.clinicPatient(CLINIC, nextId('p-nueva'))),
      protectedValues: () => ({ createdBy: UID.staffIberia }),
      overLong: [
        [['displayName'], long(121)],
        [['contact', 'email'], longEmail],
        [['contact', 'phone'], long(33, '1')],
        [['documentId'], long(33, '1')],
      ],
      freeText: [[['displayName'], 'line']],
      extras: [
        {
          label: "a record at another clinic (the path's clinic id)",
          schema: 'valid',
          at: () => writerAt('clinicStaff', paths.clinicPatient(OTHER_CLINIC, nextId('p-nueva'))),
          data: (v) => v,
        },
        { label: 'no email and no phone', data: (v) => ({ ...v, contact: {} }), schema: 'invalid' },
        { label: 'a February 30 birthday', data: (v) => ({ ...v, dateOfBirth: '1990-02-30' }), schema: 'invalid' },
        {
          label: 'clinical notes in the record',
          data: (v) => ({ ...v, notes: 'Alergia a penicilina' }),
          schema: 'invalid',
        },
      ],
    },
    update: {
      writer: 'clinicStaff',
      path: paths.clinicPatient(CLINIC, UID.ana),
      protectedValues: () => ({ createdAt: Timestamp.now(), createdBy: UID.staffIberia }),
      overLong: [
        [['displayName'], long(121)],
        [['contact', 'email'], longEmail],
        [['contact', 'phone'], long(33, '1')],
        [['documentId'], long(33, '1')],
      ],
      freeText: [[['displayName'], 'line']],
    },
  },
  {
    name: 'consentTemplates',
    create: {
      at: () => writerAt('clinicStaff', paths.consentTemplate(CLINIC, nextId('tpl'))),
      protectedValues: () => ({ updatedBy: UID.staffIberia }),
      overLong: [
        [['title'], long(201)],
        [['text'], long(20_001)],
      ],
      freeText: [
        [['title'], 'line'],
        [['text'], 'lines'],
      ],
      extras: [
        {
          label: 'a template of another clinic',
          schema: 'valid',
          at: () => writerAt('clinicStaff', paths.consentTemplate(OTHER_CLINIC, nextId('tpl'))),
          data: (v) => v,
        },
      ],
    },
    update: {
      writer: 'clinicStaff',
      path: paths.consentTemplate(CLINIC, ID.template),
      protectedValues: () => ({ updatedBy: UID.staffIberia }),
      overLong: [
        [['title'], long(201)],
        [['text'], long(20_001)],
      ],
      freeText: [
        [['title'], 'line'],
        [['text'], 'lines'],
      ],
      extras: [
        // "A text change must increment version by one."
        { label: 'a text change keeping the version', patch: (v) => ({ ...v, version: 3 }), schema: 'valid' },
        { label: 'a text change jumping two versions', patch: (v) => ({ ...v, version: 5 }), schema: 'valid' },
        { label: 'a text change lowering the version', patch: (v) => ({ ...v, version: 2 }), schema: 'valid' },
      ],
    },
  },
  {
    name: 'availabilityExceptions',
    create: {
      at: freshExceptionAt,
      protectedValues: () => ({}),
      overLong: [],
      freeText: [],
      extras: [
        {
          label: "another specialist's exception (the path's uid)",
          schema: 'valid',
          at: () =>
            writerAt('assignedSpecialist', paths.exception(UID.ruiz, availabilityExceptionId('2027-06-01', ID.office))),
          data: (v) => v,
        },
        {
          label: 'an id that is not availabilityExceptionId(date, officeId)',
          schema: 'valid',
          at: () => writerAt('assignedSpecialist', paths.exception(UID.lopez, nextId('ex'))),
          data: (v) => ({ ...v, date: '2027-06-03', officeId: ID.office }),
        },
        {
          label: "'hours' without intervals",
          schema: 'invalid',
          data: (v) => ({ date: v.date, kind: 'hours', officeId: v.officeId }),
        },
        { label: "'closed' with intervals", schema: 'invalid', data: (v) => ({ ...v, kind: 'closed' }) },
        {
          label: 'seven intervals',
          schema: 'invalid',
          data: (v) => ({
            ...v,
            intervals: Array.from({ length: 7 }, (_, i) => ({ start: `0${i}:00`, end: `0${i}:30` })),
          }),
        },
        {
          label: 'a February 30 (a date that does not exist)',
          schema: 'invalid',
          at: () => writerAt('assignedSpecialist', exceptionPath('2027-02-30', ID.office)),
          data: (v) => v,
        },
        {
          label: 'officeId over 128 chars',
          schema: 'invalid',
          at: () => writerAt('assignedSpecialist', exceptionPath('2027-06-02', long(129, 'o'))),
          data: (v) => v,
        },
      ],
    },
    update: {
      writer: 'assignedSpecialist',
      path: exceptionPath(ID.exceptionDate),
      protectedValues: () => ({ date: '2027-03-02', officeId: ID.office }),
      overLong: [],
      freeText: [],
      extras: [
        { label: "'hours' without intervals", schema: 'invalid', patch: () => ({ kind: 'hours' }) },
        {
          label: 'an interval that is empty',
          schema: 'invalid',
          patch: () => ({ kind: 'hours', intervals: [{ start: '09:00', end: '09:00' }] }),
        },
      ],
    },
  },
  {
    name: 'clinicalNotes',
    create: {
      at: () => writerAt('assignedSpecialist', paths.clinicalNote(ID.appointment, nextId('note'))),
      protectedValues: () => ({ authorUid: UID.ruiz }),
      overLong: [[['text'], long(20_001)]],
      freeText: [[['text'], 'lines']],
      extras: [
        {
          label: "a note on another specialist's appointment",
          schema: 'valid',
          at: () => writerAt('assignedSpecialist', paths.clinicalNote(ID.otherAppointment, nextId('note'))),
          data: (v) => v,
        },
      ],
    },
    update: {
      writer: 'assignedSpecialist',
      path: paths.clinicalNote(ID.appointment, ID.note),
      protectedValues: () => ({ authorUid: UID.ruiz, createdAt: Timestamp.now() }),
      overLong: [[['text'], long(20_001)]],
      freeText: [[['text'], 'lines']],
    },
  },
  {
    name: 'messages',
    create: {
      at: () => writerAt('ownerPatient', paths.message(ID.conversation, nextId('msg'))),
      // The sender is the caller: not even the other participant's uid.
      protectedValues: () => ({ senderUid: UID.lopez }),
      overLong: [
        [['text'], long(4001)],
        [['attachments', 0], long(1025, 'a')],
      ],
      freeText: [[['text'], 'lines']],
      extras: [
        {
          label: 'a message in a conversation the caller is not in',
          schema: 'valid',
          at: () => writerAt('ownerPatient', paths.message(ID.otherConversation, nextId('msg'))),
          data: (v) => v,
        },
        {
          label: 'six attachments',
          schema: 'invalid',
          data: (v) => ({
            ...v,
            attachments: Array.from({ length: 6 }, (_, i) => `conversations/c/attachments/p/${i}.jpg`),
          }),
        },
        {
          label: 'the same attachment twice',
          schema: 'invalid',
          data: (v) => ({
            ...v,
            attachments: ['conversations/c/attachments/p/a.jpg', 'conversations/c/attachments/p/a.jpg'],
          }),
        },
      ],
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Deriving the refusals.

/**
 * A value of another type than `v`, as a client might send by mistake or on purpose.
 * @param v - the valid value
 */
function wrongTypeOf(v: unknown): unknown {
  if (v instanceof FieldValue || v instanceof Timestamp) return '2027-01-01T00:00:00Z';
  if (Array.isArray(v)) return 'x';
  switch (typeof v) {
    case 'string':
      return 42;
    case 'number':
      return '1';
    case 'boolean':
      return 'true';
    default:
      return 'x';
  }
}

/**
 * The top-level fields of a collection's schema.
 * @param name - the collection
 */
function schemaKeys(name: CollectionName): string[] {
  const schema = specOf(name).schema;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/**
 * Fields whose valid value is serverTimestamp(): the spec ties them to request.time.
 * @param data - the valid payload
 */
function requestTimeFields(data: DocumentData): string[] {
  return Object.entries(data)
    .filter(([, v]) => v instanceof FieldValue)
    .map(([k]) => k);
}

const isObject = (v: unknown): v is DocumentData => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy with the field at `where` replaced (domain/src/model/testing.ts's setAt, for document data).
 * @param data - the valid payload
 * @param where - the field
 * @param value - the new value
 */
function replaced(data: DocumentData, where: FieldPath, value: unknown): DocumentData {
  const out = setAt(data, where, value);
  if (!isObject(out)) throw new Error('setAt returned a non-object');
  return out;
}

const HOSTILE_NAMES: Record<(typeof HOSTILE_CHARACTERS)[number], string> = {
  '\u0000': 'NUL',
  '\u202E': 'U+202E (right-to-left override)',
  '\u2066': 'U+2066 (left-to-right isolate)',
  '\u200B': 'U+200B (zero-width space)',
  '\uFEFF': 'U+FEFF (zero-width no-break space)',
};

/** A change of one string of a payload, and what the schema says of the result. */
interface StringChange {
  readonly label: string;
  readonly where: FieldPath;
  readonly value: string;
  readonly schema: 'valid' | 'invalid';
}

/**
 * The string attempts of a payload. Every string the client sends, free text or not, is refused with a control,
 * bidi or invisible character slipped in (#12 item 5); a free-text field is also refused with a joiner between
 * letters and, when it is one line, with a newline; and it is written with an emoji joined by ZWJ and, when it has
 * lines, with a newline and a tab.
 * @param valid - the valid payload
 * @param freeText - its free-text fields
 */
function stringChanges(
  valid: DocumentData,
  freeText: readonly FreeText[],
): { refused: StringChange[]; accepted: StringChange[] } {
  const at = (where: FieldPath): string => {
    let v: unknown = valid;
    for (const k of where) v = Array.isArray(v) ? v[Number(k)] : isObject(v) ? v[String(k)] : undefined;
    if (typeof v !== 'string') throw new Error(`no string at ${where.join('.')}`);
    return v;
  };
  const refused: StringChange[] = stringLeaves(valid).flatMap((where) =>
    HOSTILE_CHARACTERS.map((c) => ({
      label: `${where.join('.')} with ${HOSTILE_NAMES[c]}`,
      where,
      value: slipIn(at(where), c),
      schema: 'invalid' as const,
    })),
  );
  const accepted: StringChange[] = [];
  for (const [where, kind] of freeText) {
    const name = where.join('.');
    refused.push({ label: `${name} with a ZWJ between letters`, where, value: 'Ana‍Pérez', schema: 'invalid' });
    accepted.push({ label: `${name} with an emoji joined by ZWJ`, where, value: 'Dra. Ana Pérez 👩‍⚕️', schema: 'valid' });
    if (kind === 'line') {
      refused.push({ label: `${name} with a newline`, where, value: 'Ana\nPérez', schema: 'invalid' });
    } else {
      accepted.push({
        label: `${name} with a newline and a tab`,
        where,
        value: 'Dolor desde ayer.\n\tDosis: 2',
        schema: 'valid',
      });
    }
  }
  return { refused, accepted };
}

/** One write: what it sends, and whether the schema must accept it (protected values) or refuse it (wrong values). */
interface Attempt {
  readonly label: string;
  /** 'valid': refused only for authority; 'invalid': the spec's schema refuses it too; null: not a schema question. */
  readonly schema: 'valid' | 'invalid' | null;
  /** The document after the write, for the schema check. */
  probe(): DocumentData;
  run(): Promise<unknown>;
}

/**
 * The attempts of a create row.
 * @param name - the collection
 * @param row - the row
 */
function createAttempts(
  name: ClientWritable,
  row: CreateRow,
): { baseline: Attempt; refusals: Attempt[]; accepted: Attempt[] } {
  const attempt = (
    label: string,
    change: (valid: DocumentData, uid: string) => DocumentData,
    schema: Attempt['schema'] = null,
    at: () => CreateAt = row.at,
  ): Attempt => ({
    label,
    schema,
    probe: () => {
      const sample = at();
      return resolveSentinels(change(validCreate(name, sample.uid, sample.path), sample.uid));
    },
    run: () => {
      // The target is chosen when the test runs: each attempt writes a document of its own.
      const target = at();
      return setDoc(doc(target.db(), target.path), change(validCreate(name, target.uid, target.path), target.uid));
    },
  });
  const sample = row.at();
  const valid = validCreate(name, sample.uid, sample.path);
  const clientFields = specOf(name).clientFields?.create ?? [];
  const strings = stringChanges(valid, row.freeText);
  const changed = (c: StringChange) => attempt(c.label, (v) => replaced(v, c.where, c.value), c.schema);
  const refusals: Attempt[] = [
    attempt("an extra key 'isAdmin'", (v) => ({ ...v, isAdmin: true }), 'invalid'),
    ...Object.keys(row.protectedValues(sample.uid)).map((k) =>
      attempt(`protected ${k}`, (v, uid) => ({ ...v, [k]: row.protectedValues(uid)[k] }), 'valid'),
    ),
    ...requestTimeFields(valid).map((k) => attempt(`${k} ≠ request.time`, (v) => ({ ...v, [k]: past() }), 'valid')),
    ...clientFields
      .filter((k) => k in valid)
      .map((k) => attempt(`${k} of the wrong type`, (v) => ({ ...v, [k]: wrongTypeOf(v[k]) }), 'invalid')),
    ...row.overLong.map(([where, value]) =>
      attempt(`${where.join('.')} over its bound`, (v) => replaced(v, where, value), 'invalid'),
    ),
    ...strings.refused.map(changed),
    ...(row.extras ?? []).map((e) => attempt(e.label, e.data, e.schema ?? null, e.at ?? row.at)),
  ];
  return {
    baseline: attempt('the valid create', (v) => v, 'valid'),
    refusals,
    accepted: strings.accepted.map(changed),
  };
}

/**
 * The attempts of an update row.
 * @param name - the collection
 * @param row - the row
 */
function updateAttempts(
  name: ClientWritable,
  row: UpdateRow,
): { baseline: Attempt; refusals: Attempt[]; accepted: Attempt[] } {
  const uid = ACTORS[row.writer].uid ?? '';
  const valid = validUpdate(name, uid, row.path);
  const attempt = (label: string, patch: DocumentData, schema: Attempt['schema'] = null): Attempt => ({
    label,
    schema,
    probe: () => afterUpdate(row.path, patch),
    run: () => updateDoc(doc(callerDb(row.writer), row.path), patch),
  });
  const clientFields = specOf(name).clientFields?.update ?? [];
  const strings = stringChanges(valid, row.freeText);
  const changed = (c: StringChange) => attempt(c.label, replaced(valid, c.where, c.value), c.schema);
  const refusals: Attempt[] = [
    attempt("an extra key 'isAdmin'", { ...valid, isAdmin: true }, 'invalid'),
    ...Object.entries(row.protectedValues(uid)).map(([k, value]) =>
      attempt(`protected ${k}`, { ...valid, [k]: value }, 'valid'),
    ),
    ...requestTimeFields(valid).map((k) => attempt(`${k} ≠ request.time`, { ...valid, [k]: past() }, 'valid')),
    ...clientFields
      .filter((k) => k in valid)
      .map((k) => attempt(`${k} of the wrong type`, { ...valid, [k]: wrongTypeOf(valid[k]) }, 'invalid')),
    ...row.overLong.map(([where, value]) =>
      attempt(`${where.join('.')} over its bound`, replaced(valid, where, value), 'invalid'),
    ),
    ...strings.refused.map(changed),
    ...(row.extras ?? []).map((e) => attempt(e.label, e.patch(valid), e.schema ?? null)),
  ];
  return { baseline: attempt('the valid update', valid, 'valid'), refusals, accepted: strings.accepted.map(changed) };
}

/**
 * Asserts a write is refused; if it was accepted after all (a finding), puts the document back for the next test.
 * @param attempt - the write
 * @param reseed - the seeded document it targets, if any
 */
async function refused(attempt: Promise<unknown>, reseed?: string): Promise<void> {
  const outcome = await settle(attempt);
  if (outcome.actual === 'allow' && reseed) await restore(env, [reseed]);
  await assertFails(outcome.replay());
}

/**
 * The completeness of a row: every field outside clientFields is tried as protected, every client field is in the
 * valid payload, and each payload is what it claims to be for the schema.
 * @param name - the collection
 * @param clientFields - its clientFields for the operation
 * @param valid - the valid payload
 * @param protectedKeys - the fields tried as protected
 * @param attempts - the baseline, the refusals and the accepted variants
 * @param freeText - the fields the row tries as free text
 * @param probe - the document after writing the valid payload with one string replaced
 */
function coverage(
  name: ClientWritable,
  clientFields: readonly string[],
  valid: DocumentData,
  protectedKeys: string[],
  attempts: Attempt[],
  freeText: readonly FreeText[],
  probe: (where: FieldPath, value: string) => DocumentData,
) {
  const covered = new Set([...clientFields, ...protectedKeys]);
  expect(
    schemaKeys(name).filter((k) => !covered.has(k)),
    'fields neither client nor tried',
  ).toEqual([]);
  expect(
    clientFields.filter((k) => !(k in valid)),
    'client fields missing from the valid payload',
  ).toEqual([]);
  expect(
    attempts
      .filter((a) => a.schema !== null && schemaAccepts(name, a.probe()) !== (a.schema === 'valid'))
      .map((a) => a.label),
    'payloads the schema judges otherwise',
  ).toEqual([]);
  // A string the schema takes as words with a space is free text: the row must try it as such.
  const listed = new Set(freeText.map(([where]) => where.join('.')));
  expect(
    stringLeaves(valid)
      .filter((where) => schemaAccepts(name, probe(where, 'Texto libre')))
      .map((where) => where.join('.'))
      .filter((k) => !listed.has(k)),
    'free-text fields missing from the row',
  ).toEqual([]);
}

for (const row of ROWS) {
  const spec = specOf(row.name);
  describe(row.name, () => {
    const create = row.create;
    if (create) {
      describe('create', () => {
        const { baseline, refusals, accepted } = createAttempts(row.name, create);
        it(`${row.name} · create · the table covers every field`, () => {
          const sample = create.at();
          const valid = validCreate(row.name, sample.uid, sample.path);
          coverage(
            row.name,
            spec.clientFields?.create ?? [],
            valid,
            Object.keys(create.protectedValues(sample.uid)),
            [baseline, ...refusals, ...accepted],
            create.freeText,
            (where, value) => resolveSentinels(replaced(valid, where, value)),
          );
        });
        it(`${row.name} · create · the valid create → allow`, async () => {
          await assertSucceeds(baseline.run());
        });
        for (const a of accepted) {
          it(`${row.name} · create · ${a.label} → allow`, async () => {
            await assertSucceeds(a.run());
          });
        }
        for (const a of refusals) {
          it(`${row.name} · create · ${a.label} → deny`, () => refused(a.run()));
        }
      });
    }
    const update = row.update;
    if (update) {
      describe(`update`, () => {
        const { baseline, refusals, accepted } = updateAttempts(row.name, update);
        const uid = ACTORS[update.writer].uid ?? '';
        it(`${row.name} · update · the table covers every field`, () => {
          const valid = validUpdate(row.name, uid, update.path);
          coverage(
            row.name,
            spec.clientFields?.update ?? [],
            valid,
            Object.keys(update.protectedValues(uid)),
            [baseline, ...refusals, ...accepted],
            update.freeText,
            (where, value) => afterUpdate(update.path, replaced(valid, where, value)),
          );
        });
        for (const a of [baseline, ...accepted]) {
          it(`${row.name} · update · ${a.label} → allow`, async () => {
            try {
              await assertSucceeds(a.run());
            } finally {
              await restore(env, [update.path]);
            }
          });
        }
        for (const a of refusals) {
          it(`${row.name} · update · ${a.label} → deny`, () => refused(a.run(), update.path));
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Server-owned fields of server-written documents: the people who read them never write them.

const SERVER_OWNED: readonly (readonly [label: string, who: ActorKey, path: string, patch: DocumentData])[] = [
  [
    'an appointment status jump by its patient',
    'ownerPatient',
    paths.appointment(ID.appointment),
    { status: 'completed' },
  ],
  [
    'an attendance outcome by its specialist (recordAttendance does it)',
    'assignedSpecialist',
    paths.appointment(ID.appointment),
    { status: 'no_show' },
  ],
  [
    'an appointment price by its patient',
    'ownerPatient',
    paths.appointment(ID.appointment),
    { price: { amount: 1, currency: 'COP' } },
  ],
  [
    "an appointment's clinic by its staff",
    'clinicStaff',
    paths.appointment(ID.appointment),
    { clinicId: OTHER_CLINIC },
  ],
  [
    "an appointment's patient by its specialist",
    'assignedSpecialist',
    paths.appointment(ID.appointment),
    { patientUid: UID.beto },
  ],
  [
    'a hidden document made visible by staff',
    'clinicStaff',
    paths.patientDocument(CLINIC, UID.ana, ID.hiddenDocument),
    { visibleToPatient: true },
  ],
  [
    'a visible document hidden by a clinic specialist',
    'assignedSpecialist',
    paths.patientDocument(CLINIC, UID.ana, ID.visibleDocument),
    { visibleToPatient: false, notifyPatient: false },
  ],
  [
    'a consent revoked by its patient without a callable',
    'ownerPatient',
    paths.consent(CLINIC, UID.ana, ID.consent),
    { status: 'revoked', revokedAt: Timestamp.now() },
  ],
  [
    'a rating by the specialist rated',
    'assignedSpecialist',
    paths.specialist(UID.lopez),
    { ratingAverage: 5, ratingCount: 500 },
  ],
  ["a specialist's own status", 'assignedSpecialist', paths.specialist(UID.lopez), { status: 'suspended' }],
  [
    'an office price by its specialist',
    'assignedSpecialist',
    paths.office(UID.lopez, ID.office),
    { prices: [{ siteId: 'telesalud', price: { amount: 1, currency: 'COP' } }] },
  ],
  [
    "the other participant's unread counter",
    'ownerPatient',
    paths.conversation(ID.conversation),
    { unread: { [UID.ana]: 0, [UID.lopez]: 0 } },
  ],
  [
    'a transaction refunded by its patient',
    'ownerPatient',
    paths.transaction(ID.transaction),
    { status: 'refunded', refunded: { amount: 18_000_000, currency: 'COP' } },
  ],
  [
    'a transaction amount by its specialist',
    'assignedSpecialist',
    paths.transaction(ID.transaction),
    { amount: { amount: 99_000_000, currency: 'COP' } },
  ],
  [
    'a payout marked paid by its specialist',
    'assignedSpecialist',
    paths.payout(payoutId(UID.lopez, ID.period)),
    { status: 'paid', paidAt: Timestamp.now() },
  ],
  [
    'an availability request declined by its patient (declineRequest does it)',
    'ownerPatient',
    paths.availabilityRequest(ID.request),
    { status: 'declined' },
  ],
  [
    'a revoked portal grant reactivated by its patient',
    'revokedPatient',
    paths.portalGrant(CLINIC, UID.rev),
    { active: true, grantedBy: UID.rev, revokedAt: deleteField() },
  ],
  [
    "a clinic specialist's membership turned into staff",
    'assignedSpecialist',
    paths.clinicMember(CLINIC, UID.lopez),
    { role: 'staff' },
  ],
  [
    'a membership revoked by the clinic staff (setClinicMembership does it)',
    'clinicStaff',
    paths.clinicMember(CLINIC, UID.lopez),
    { active: false, revokedAt: Timestamp.now() },
  ],
];

describe('server-owned fields of server-written documents', () => {
  for (const [label, key, docPath, patch] of SERVER_OWNED) {
    const name = collectionOfPath(docPath);
    it(`${name} · ${key} · ${label} → deny`, async () => {
      expect(schemaAccepts(name, afterUpdate(docPath, patch)), 'a schema-valid change').toBe(true);
      await refused(updateDoc(doc(callerDb(key), docPath), patch), docPath);
    });
  }
});
