/**
 * The access matrix: every collection of COLLECTIONS × every actor of the world × get / list / create / update /
 * delete, each cell one test whose expectation is derived from the spec (readableBy, listableBy, writers,
 * clientFields), not from what firestore.rules happens to do. `list` runs the query the app runs for that actor; an
 * actor with no query of its own runs the query of an allowed actor, and must be denied. Every cell's outcome is written
 * to .out/access-matrix.json for scripts/access-matrix.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  orderBy,
  query,
  setDoc,
  updateDoc,
  where,
  type DocumentData,
  type Firestore,
  type Query,
} from 'firebase/firestore';
import {
  COLLECTIONS,
  paths,
  payoutId,
  searchListingId,
  type Audience,
  type CollectionName,
  type CollectionSpec,
  type Role,
  type Writer,
} from '../../domain/src';
import { ROOT, startRulesEnv, type RulesEnv } from './support/env';
import { settle, type Outcome } from './support/outcome';
import {
  ACTOR_KEYS,
  ACTORS,
  activeMemberships,
  activePortalClinics,
  afterUpdate,
  authorUid,
  checked,
  CLINIC,
  dbOf,
  ID,
  matchPattern,
  remove,
  restore,
  schemaAccepts,
  seedWorld,
  seededData,
  specOf,
  UID,
  validCreate,
  validUpdate,
  type Actor,
  type ActorKey,
} from './support/world';

const MATRIX_OPS = ['get', 'list', 'create', 'update', 'delete'] as const;
type MatrixOp = (typeof MATRIX_OPS)[number];

// ---------------------------------------------------------------------------------------------------------------
// Which document each cell acts on.

/** The document of each collection the matrix acts on: Ana's, at clinic 'andina', with esp-lopez. */
const TARGET: Readonly<Record<CollectionName, string>> = {
  users: paths.user(UID.ana),
  notifications: paths.notification(UID.ana, ID.notification),
  clinics: paths.clinic(CLINIC),
  clinicMembers: paths.clinicMember(CLINIC, UID.lopez),
  portalGrants: paths.portalGrant(CLINIC, UID.ana),
  clinicPatients: paths.clinicPatient(CLINIC, UID.ana),
  patientDocuments: paths.patientDocument(CLINIC, UID.ana, ID.visibleDocument),
  consentTemplates: paths.consentTemplate(CLINIC, ID.template),
  consents: paths.consent(CLINIC, UID.ana, ID.consent),
  questionnaires: paths.questionnaire(CLINIC, ID.questionnaire),
  questionnaireAnswers: paths.questionnaireAnswers(CLINIC, UID.ana, ID.answers),
  specialists: paths.specialist(UID.lopez),
  offices: paths.office(UID.lopez, ID.office),
  availabilityExceptions: paths.exception(UID.lopez, ID.exceptionDate),
  busy: paths.busyDay(UID.lopez, ID.busyDay),
  searchListings: paths.searchListing(searchListingId(UID.lopez, ID.office)),
  slotLocks: paths.slotLock(UID.lopez, ID.slotLock),
  reviews: paths.review(UID.lopez, ID.review),
  reviewReceipts: paths.reviewReceipt(ID.pastAppointment),
  appointments: paths.appointment(ID.appointment),
  appointmentHistory: paths.appointmentHistoryEntry(ID.appointment, ID.historyEntry),
  clinicalNotes: paths.clinicalNote(ID.appointment, ID.note),
  availabilityRequests: paths.availabilityRequest(ID.request),
  conversations: paths.conversation(ID.conversation),
  messages: paths.message(ID.conversation, ID.message),
  transactions: paths.transaction(ID.transaction),
  payouts: paths.payout(payoutId(UID.lopez, ID.period)),
  stripeEvents: paths.stripeEvent(ID.stripeEvent),
  auditLog: paths.auditEntry(ID.audit),
  idempotency: paths.idempotency(UID.ana, ID.idempotencyKey),
};

/**
 * The revoked patient is judged on records that are his own (and on his own grant, which as its owner he still
 * reads): Ana's records would deny him whether or not revocation works.
 */
const REVOKED_TARGET: Partial<Record<CollectionName, string>> = {
  portalGrants: paths.portalGrant(CLINIC, UID.rev),
  clinicPatients: paths.clinicPatient(CLINIC, UID.rev),
  patientDocuments: paths.patientDocument(CLINIC, UID.rev, ID.revDocument),
  consents: paths.consent(CLINIC, UID.rev, ID.revConsent),
  questionnaireAnswers: paths.questionnaireAnswers(CLINIC, UID.rev, ID.revAnswers),
};

/** Extra rows where a spec note makes the same collection answer differently for another document. */
const VARIANTS: readonly { label: string; name: CollectionName; target: string }[] = [
  // "The patient sees only visibleToPatient == true."
  {
    label: 'patientDocuments (hidden)',
    name: 'patientDocuments',
    target: paths.patientDocument(CLINIC, UID.ana, ID.hiddenDocument),
  },
  // "anyone only while status == 'approved'", for the profile and what hangs from it.
  { label: 'specialists (pending)', name: 'specialists', target: paths.specialist(UID.nuevo) },
  { label: 'offices (pending)', name: 'offices', target: paths.office(UID.nuevo, ID.office) },
  {
    label: 'availabilityExceptions (pending)',
    name: 'availabilityExceptions',
    target: paths.exception(UID.nuevo, ID.exceptionDate),
  },
  { label: 'reviews (pending)', name: 'reviews', target: paths.review(UID.nuevo, ID.review) },
  { label: 'busy (pending)', name: 'busy', target: paths.busyDay(UID.nuevo, ID.busyDay) },
];

interface Row {
  readonly label: string;
  readonly spec: CollectionSpec;
  readonly name: CollectionName;
  /** The document an actor's cells act on. */
  targetOf(key: ActorKey): string;
}

const ROWS: readonly Row[] = COLLECTIONS.flatMap((c): Row[] => {
  const name: CollectionName = c.name;
  const spec = specOf(name);
  const revoked = REVOKED_TARGET[name];
  const main: Row = {
    label: name,
    name,
    spec,
    targetOf: (key) => (key === 'revokedPatient' && revoked ? revoked : TARGET[name]),
  };
  const variants = VARIANTS.filter((v) => v.name === name).map((v): Row => ({
    label: v.label,
    name,
    spec,
    targetOf: () => v.target,
  }));
  return [main, ...variants];
});

// ---------------------------------------------------------------------------------------------------------------
// What the spec says: who the document names, and which audiences an actor belongs to.

/** What a document says about who may see it, read from its path, its data and its ancestors' data. */
interface Relations {
  /** The uid in the path (`{uid}`, or `{patientUid}` for a patient's grant and records). */
  readonly pathOwner: string | undefined;
  /** The patient the document names: patientUid, participants[0], or the path's patient (the ancestors' too). */
  readonly patientUid: string | undefined;
  /** The specialist the document names: specialistUid, participants[1], or the path's specialists/{uid}. */
  readonly specialistUid: string | undefined;
  /** The clinic: the path's `{clinicId}` or the document's (or its parent's) clinicId. */
  readonly clinicId: string | undefined;
  /** Under specialists/{uid}: whether that profile is approved ("anyone only while approved"). */
  readonly approvedProfile: boolean | null;
  /** patientDocuments: the portal patient sees only visibleToPatient == true. */
  readonly visibleToPatient: boolean | null;
  /** patient:portal is "the patient of the path"; without a patient in the path (questionnaires) any granted patient. */
  readonly portalByPath: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const participant = (d: DocumentData, i: 0 | 1): string | undefined => {
  const list: unknown = d.participants;
  return Array.isArray(list) ? str(list[i]) : undefined;
};

/**
 * Reads the relations of a document.
 * @param spec - its collection
 * @param docPath - its path
 */
function relationsOf(spec: CollectionSpec, docPath: string): Relations {
  const ids = matchPattern(spec.pattern, docPath);
  if (!ids) throw new Error(`${docPath} is not a ${spec.name} path`);
  const segments = docPath.split('/');
  const chain: DocumentData[] = [];
  for (let n = segments.length; n >= 2; n -= 2) {
    const data = seededData(segments.slice(0, n).join('/'));
    if (data) chain.push(data);
  }
  const first = (read: (d: DocumentData) => string | undefined) => chain.map(read).find((v) => v !== undefined);
  const underSpecialist = docPath.startsWith('specialists/');
  const profile = underSpecialist && ids.uid ? seededData(paths.specialist(ids.uid)) : undefined;
  const own = seededData(docPath);
  return {
    pathOwner: ids.uid ?? ids.patientUid,
    patientUid: first((d) => str(d.patientUid) ?? participant(d, 0)) ?? ids.patientUid,
    specialistUid: first((d) => str(d.specialistUid) ?? participant(d, 1)) ?? (underSpecialist ? ids.uid : undefined),
    clinicId: ids.clinicId ?? first((d) => str(d.clinicId)),
    approvedProfile: underSpecialist ? profile?.status === 'approved' : null,
    visibleToPatient: typeof own?.visibleToPatient === 'boolean' ? own.visibleToPatient : null,
    portalByPath: ids.patientUid !== undefined,
  };
}

const hasRole = (who: Actor, role: Role): boolean => who.claims?.roles.includes(role) === true;

/**
 * Whether an actor belongs to an audience for a document (collections.ts defines each audience).
 * @param audience - the audience
 * @param who - the actor
 * @param rel - the document's relations
 */
function holds(audience: Audience, who: Actor, rel: Relations): boolean {
  const uid = who.uid;
  if (audience === 'anyone') return rel.approvedProfile !== false;
  if (uid === null) return false;
  switch (audience) {
    case 'owner':
      return uid === rel.pathOwner;
    case 'patient:participant':
      return uid === rel.patientUid;
    case 'specialist:participant':
      return uid === rel.specialistUid;
    case 'staff:clinic':
      return rel.clinicId !== undefined && activeMemberships(uid).get(rel.clinicId) === 'staff';
    case 'specialist:clinic':
      return rel.clinicId !== undefined && activeMemberships(uid).get(rel.clinicId) === 'specialist';
    case 'patient:portal':
      return (
        rel.clinicId !== undefined &&
        activePortalClinics(uid).has(rel.clinicId) &&
        (!rel.portalByPath || uid === rel.pathOwner) &&
        rel.visibleToPatient !== false
      );
    case 'admin':
      return hasRole(who, 'admin');
  }
}

/**
 * Whether a writer of the spec is this actor, for this document. 'client:owner' is the uid of the path; a role writer
 * is a holder of that role related to the document the way its readers are: staff of the document's clinic, the
 * patient or the specialist the document names (for specialists/{uid}/…, the specialist of the path).
 * @param writer - a writer of COLLECTIONS
 * @param who - the actor
 * @param rel - the document's relations
 */
function isWriter(writer: Writer, who: Actor, rel: Relations): boolean {
  switch (writer) {
    case 'server':
      return false;
    case 'client:owner':
      return holds('owner', who, rel);
    case 'client:patient':
      return hasRole(who, 'patient') && holds('patient:participant', who, rel);
    case 'client:specialist':
      return hasRole(who, 'specialist') && holds('specialist:participant', who, rel);
    case 'client:staff':
      return hasRole(who, 'staff') && holds('staff:clinic', who, rel);
    case 'client:admin':
      return hasRole(who, 'admin');
  }
}

/**
 * The spec's answer for one cell. Deletes: CollectionSpec has no client delete at all (clientFields name only create
 * and update; the docs say "append-only", "never update or delete"), so every client delete is denied.
 * @param spec - the collection
 * @param who - the actor
 * @param rel - the target document's relations
 * @param op - the operation
 */
function expectedOutcome(spec: CollectionSpec, who: Actor, rel: Relations, op: MatrixOp): Outcome {
  const any = (audiences: readonly Audience[]) => audiences.some((a) => holds(a, who, rel));
  const writes = (fields: readonly string[] | undefined) =>
    fields !== undefined && spec.writers.some((w) => isWriter(w, who, rel));
  let allowed: boolean;
  switch (op) {
    case 'get':
      allowed = any(spec.readableBy);
      break;
    case 'list':
      allowed = any(spec.listableBy);
      break;
    case 'create':
      allowed = writes(spec.clientFields?.create);
      break;
    case 'update':
      allowed = writes(spec.clientFields?.update);
      break;
    case 'delete':
      allowed = false;
      break;
  }
  return allowed ? 'allow' : 'deny';
}

// ---------------------------------------------------------------------------------------------------------------
// The app's list queries: per collection, one per audience that lists, constrained to the target's values (so the
// query would return the target). Rules are not filters: where the rule needs a field pinned, the query pins it.

interface ListQuery {
  /** The audience this is the app's query for; null where nobody lists (the query the app would try anyway). */
  readonly audience: Audience | null;
  readonly where?: {
    readonly field: string;
    readonly op: '==' | 'array-contains';
    readonly value: (d: DocumentData) => unknown;
  };
  readonly orderBy?: string;
}

const plain = (audience: Audience | null, order?: string): ListQuery => ({
  audience,
  ...(order ? { orderBy: order } : {}),
});
const equal = (audience: Audience, field: string): ListQuery => ({
  audience,
  where: { field, op: '==', value: (d) => d[field] },
});
const PARTY_QUERIES = [
  equal('patient:participant', 'patientUid'),
  equal('specialist:participant', 'specialistUid'),
  equal('staff:clinic', 'clinicId'),
];
const CLINIC_TEAM = [plain('staff:clinic'), plain('specialist:clinic')];

const LIST_QUERIES: Readonly<Record<CollectionName, readonly ListQuery[]>> = {
  users: [plain(null)],
  notifications: [plain('owner', 'createdAt')],
  clinics: [plain('anyone')],
  clinicMembers: [plain('staff:clinic'), plain('admin')],
  portalGrants: [plain('staff:clinic')],
  clinicPatients: CLINIC_TEAM,
  patientDocuments: [equal('patient:portal', 'visibleToPatient'), ...CLINIC_TEAM],
  consentTemplates: CLINIC_TEAM,
  consents: [plain('patient:portal'), ...CLINIC_TEAM],
  questionnaires: CLINIC_TEAM,
  questionnaireAnswers: [plain('patient:portal'), ...CLINIC_TEAM],
  specialists: [equal('anyone', 'status')],
  offices: [plain('anyone'), plain('owner')],
  availabilityExceptions: [plain('anyone'), plain('owner')],
  busy: [plain('anyone'), plain('owner')],
  searchListings: [plain('anyone')],
  slotLocks: [plain(null)],
  reviews: [plain('anyone'), plain('owner')],
  reviewReceipts: [plain(null)],
  appointments: PARTY_QUERIES,
  appointmentHistory: [plain('patient:participant'), plain('specialist:participant'), plain('staff:clinic')],
  clinicalNotes: [plain('specialist:participant')],
  availabilityRequests: PARTY_QUERIES,
  conversations: [
    {
      audience: 'patient:participant',
      where: { field: 'participants', op: 'array-contains', value: (d) => participant(d, 0) },
    },
    {
      audience: 'specialist:participant',
      where: { field: 'participants', op: 'array-contains', value: (d) => participant(d, 1) },
    },
  ],
  messages: [plain('patient:participant', 'createdAt'), plain('specialist:participant', 'createdAt')],
  transactions: [
    equal('patient:participant', 'patientUid'),
    equal('specialist:participant', 'specialistUid'),
    plain('admin'),
  ],
  payouts: [equal('specialist:participant', 'specialistUid'), plain('admin')],
  stripeEvents: [plain(null)],
  auditLog: [plain('admin')],
  idempotency: [plain(null)],
};

/** The audiences an actor's app screens use, by the roles in its claims. */
function screensOf(who: Actor): Audience[] {
  const out: Audience[] = [];
  if (hasRole(who, 'patient')) out.push('patient:participant', 'patient:portal', 'owner');
  if (hasRole(who, 'specialist')) out.push('specialist:participant', 'specialist:clinic', 'owner');
  if (hasRole(who, 'staff')) out.push('staff:clinic');
  if (hasRole(who, 'admin')) out.push('admin');
  out.push('anyone');
  return out;
}

/**
 * The query an actor runs: the one of an audience it belongs to; else the one its screens would use; else the first.
 * @param name - the collection
 * @param who - the actor
 * @param rel - the target's relations
 */
function listQueryFor(name: CollectionName, who: Actor, rel: Relations): ListQuery {
  const queries = LIST_QUERIES[name];
  const entitled = queries.find((q) => q.audience !== null && holds(q.audience, who, rel));
  const screen = screensOf(who)
    .map((a) => queries.find((q) => q.audience === a))
    .find((q) => q !== undefined);
  const chosen = entitled ?? screen ?? queries[0];
  if (!chosen) throw new Error(`no list query for ${name}`);
  return chosen;
}

/**
 * Builds a list query over the target's collection.
 * @param db - the caller's Firestore
 * @param docPath - the target (the query is over its parent collection, with its values)
 * @param q - the query shape
 * @param constrained - false drops the `where` (to show rules are not filters)
 */
function buildQuery(db: Firestore, docPath: string, q: ListQuery, constrained = true): Query {
  const parent = docPath.split('/').slice(0, -1).join('/');
  const data = seededData(docPath) ?? {};
  const constraints = [
    ...(constrained && q.where ? [where(q.where.field, q.where.op, q.where.value(data))] : []),
    ...(q.orderBy ? [orderBy(q.orderBy, 'desc')] : []),
  ];
  return query(collection(db, parent), ...constraints);
}

// ---------------------------------------------------------------------------------------------------------------
// Running the cells.

let env: RulesEnv;
const dbs = new Map<ActorKey, Firestore>();

/** One cell of the matrix as the JSON records it. */
interface CellRecord {
  collection: string;
  actor: ActorKey;
  op: MatrixOp;
  expected: Outcome;
  actual: Outcome | 'error';
}
const cells: CellRecord[] = [];
/** The most get()/exists() reads any single request cost, with the request that did it. */
let costliest = { lookups: 0, what: 'none' };

beforeAll(async () => {
  env = await startRulesEnv('demo-rules-access-matrix');
  env.emulator.rules.observe((e) => {
    if (e.lookups > costliest.lookups) costliest = { lookups: e.lookups, what: `${e.method} ${e.path}` };
  });
  for (const key of ACTOR_KEYS) dbs.set(key, dbOf(env, ACTORS[key]));
  await seedWorld(env);
});

afterAll(async () => {
  const out = path.join(ROOT, '.out');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'access-matrix.json'), `${JSON.stringify(cells, null, 1)}\n`);
  await env?.close();
});

function dbFor(key: ActorKey): Firestore {
  const db = dbs.get(key);
  if (!db) throw new Error(`no Firestore for ${key}`);
  return db;
}

interface CellPlan {
  readonly row: Row;
  readonly key: ActorKey;
  readonly op: MatrixOp;
  readonly target: string;
  readonly expected: Outcome;
  readonly run: (db: Firestore) => Promise<unknown>;
}

/**
 * What one cell does, with its write payloads checked against the schema first (a valid write, so that only the
 * rules can refuse it).
 * @param row - the collection row
 * @param key - the actor
 * @param op - the operation
 */
function planCell(row: Row, key: ActorKey, op: MatrixOp): CellPlan {
  const who = ACTORS[key];
  const target = row.targetOf(key);
  const rel = relationsOf(row.spec, target);
  const expected = expectedOutcome(row.spec, who, rel, op);
  const base = { row, key, op, target, expected };
  switch (op) {
    case 'get':
      return { ...base, run: (db) => getDoc(doc(db, target)) };
    case 'list': {
      const q = listQueryFor(row.name, who, rel);
      return { ...base, run: (db) => getDocs(buildQuery(db, target, q)) };
    }
    case 'create': {
      const data = checked(row.name, target, validCreate(row.name, authorUid(who), target));
      return { ...base, run: (db) => setDoc(doc(db, target), data) };
    }
    case 'update': {
      const patch = validUpdate(row.name, authorUid(who), target);
      if (!schemaAccepts(row.name, afterUpdate(target, patch))) throw new Error(`invalid update fixture for ${target}`);
      return { ...base, run: (db) => updateDoc(doc(db, target), patch) };
    }
    case 'delete':
      return { ...base, run: (db) => deleteDoc(doc(db, target)) };
  }
}

/**
 * Runs one cell, records it, puts back what a successful write changed, then asserts.
 * @param plan - the cell
 */
async function runCell(plan: CellPlan): Promise<void> {
  const outcome = await settle(plan.run(dbFor(plan.key)));
  cells.push({
    collection: plan.row.label,
    actor: plan.key,
    op: plan.op,
    expected: plan.expected,
    actual: outcome.actual,
  });
  if (outcome.actual === 'allow') {
    // A created document is removed again so the next actor's attempt is a create too; anything else is reseeded.
    if (plan.op === 'create') await remove(env, [plan.target]);
    else if (plan.op !== 'get' && plan.op !== 'list') await restore(env, [plan.target]);
  }
  if (plan.expected === 'allow') await assertSucceeds(outcome.replay());
  else await assertFails(outcome.replay());
}

for (const row of ROWS) {
  describe(row.label, () => {
    for (const op of MATRIX_OPS) {
      describe(op, () => {
        if (op === 'create') {
          const targets = [...new Set(ACTOR_KEYS.map((k) => row.targetOf(k)))];
          beforeAll(() => remove(env, targets));
          afterAll(() => restore(env, targets));
        }
        for (const key of ACTOR_KEYS) {
          const plan = planCell(row, key, op);
          it(`${row.label} · ${key} · ${op} → ${plan.expected}`, () => runCell(plan));
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Rules are not filters: the app's constrained query passes, the same query without its `where` is denied.

describe('rules are not filters', () => {
  for (const row of ROWS.filter((r) => r.label === r.name)) {
    const target = TARGET[row.name];
    const rel = relationsOf(row.spec, target);
    for (const q of LIST_QUERIES[row.name]) {
      const audience = q.audience;
      if (audience === null || !q.where || !row.spec.listableBy.includes(audience)) continue;
      const key = ACTOR_KEYS.find((k) => holds(audience, ACTORS[k], rel));
      if (!key) throw new Error(`no actor of ${audience} for ${row.name}`);
      const clause = `${q.where.field} ${q.where.op} ${JSON.stringify(q.where.value(seededData(target) ?? {}))}`;
      it(`${row.label} · ${key} · list where ${clause} → allow, without it → deny`, async () => {
        const db = dbFor(key);
        await assertSucceeds(getDocs(buildQuery(db, target, q)));
        await assertFails(getDocs(buildQuery(db, target, q, false)));
      });
    }
  }

  // A collection-group query spans every parent: no audience of a subcollection's path holds for all of them.
  const GROUPS: readonly (readonly [ActorKey, string, string, unknown])[] = [
    ['ownerPatient', 'documents', 'visibleToPatient', true],
    ['ownerPatient', 'consents', 'status', 'pending'],
    ['assignedSpecialist', 'notes', 'authorUid', UID.lopez],
    ['ownerPatient', 'messages', 'senderUid', UID.ana],
    ['clinicStaff', 'patients', 'createdBy', UID.staffAndina],
    ['anonymous', 'reviews', 'rating', 5],
  ];
  for (const [key, group, field, value] of GROUPS) {
    it(`${group} · ${key} · collection-group query where ${field} == … → deny`, async () => {
      await assertFails(getDocs(query(collectionGroup(dbFor(key), group), where(field, '==', value))));
    });
  }
});

// Firebase bills every get()/exists() and caps them; the project's own bound is 3 per request. The observer saw every
// request of every cell above (the allowed and the denied).
describe('cost of the rules', () => {
  it('no request of the matrix made more than 3 document lookups', () => {
    expect(costliest.lookups, costliest.what).toBeLessThanOrEqual(3);
    expect(costliest.lookups, 'the clinic rules read grant documents').toBeGreaterThan(0);
  });
});
