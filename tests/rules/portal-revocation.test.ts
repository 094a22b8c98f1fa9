/**
 * Grants are documents, and rules read them on every request: a revoked grant denies the very next request made with
 * the same, still-valid ID token. The revoked patient p-rev (portal grant active:false + revokedAt) is denied every
 * clinic record of his own; Ana loses hers the moment an admin revokes her grant mid-test, and gets them back when it
 * is granted again; staff and clinic specialists lose the clinic's records with their membership; claims
 * (`clinicIds`) never authorise, and a membership without the grant fields grants nothing. A listener opened before
 * the revocation receives nothing more: the next change is judged again and the listener ends in permission-denied.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import {
  collection,
  doc,
  getDoc,
  getDocs,
  onSnapshot,
  query,
  Timestamp,
  where,
  type DocumentData,
  type Firestore,
  type Query,
} from 'firebase/firestore';
import { paths } from '../../domain/src';
import { startRulesEnv, type RulesEnv } from './support/env';
import {
  ACTORS,
  adminSet,
  CLINIC,
  dbOf,
  ID,
  OTHER_CLINIC,
  restore,
  seeded,
  seedWorld,
  UID,
  type ActorKey,
} from './support/world';

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv('demo-rules-portal-revocation');
  await seedWorld(env);
});
afterAll(async () => env?.close());

const GRANTS = [
  paths.portalGrant(CLINIC, UID.ana),
  paths.clinicMember(CLINIC, UID.staffAndina),
  paths.clinicMember(CLINIC, UID.lopez),
];
afterEach(() => restore(env, GRANTS));

/** A read of a clinic record: a get by id, or the list query the portal runs. */
type Read = readonly [label: string, run: (db: Firestore) => Promise<unknown>];

const get = (p: string) => (db: Firestore) => getDoc(doc(db, p));
const list = (q: (db: Firestore) => Query) => (db: Firestore) => getDocs(q(db));

/**
 * Every clinic record a patient's portal shows, for one patient.
 * @param patientUid - whose records
 * @param documentId - one of the patient's visible documents
 * @param consentId - one of the patient's consents
 * @param answersId - one of the patient's answers
 */
function portalReads(patientUid: string, documentId: string, consentId: string, answersId: string): Read[] {
  const base = paths.clinicPatient(CLINIC, patientUid);
  return [
    ['get the clinic record', get(base)],
    ['get a visible document', get(paths.patientDocument(CLINIC, patientUid, documentId))],
    [
      'list documents where visibleToPatient == true',
      list((db) => query(collection(db, `${base}/documents`), where('visibleToPatient', '==', true))),
    ],
    ['get a consent', get(paths.consent(CLINIC, patientUid, consentId))],
    ['list consents', list((db) => collection(db, `${base}/consents`))],
    ['get answers', get(paths.questionnaireAnswers(CLINIC, patientUid, answersId))],
    ['list answers', list((db) => collection(db, `${base}/answers`))],
    ["get the clinic's questionnaire by id", get(paths.questionnaire(CLINIC, ID.questionnaire))],
  ];
}

/**
 * The grant document, revoked the way revokePortalAccess / setClinicMembership revoke it.
 * @param grantPath - a seeded grant
 */
function revoked(grantPath: string): DocumentData {
  return { ...seeded(grantPath).data, active: false, revokedAt: Timestamp.now() };
}

const actorDbs = new Map<ActorKey, Firestore>();
/** One Firestore per actor for the whole file: "the same context" of the tests below. */
function sameContext(key: ActorKey): Firestore {
  const cached = actorDbs.get(key);
  if (cached) return cached;
  const db = dbOf(env, ACTORS[key]);
  actorDbs.set(key, db);
  return db;
}

describe('revokedPatient (grant active:false with revokedAt, token still valid)', () => {
  for (const [label, run] of portalReads(UID.rev, ID.revDocument, ID.revConsent, ID.revAnswers)) {
    it(`revokedPatient · ${label} → deny`, async () => {
      await assertFails(run(sameContext('revokedPatient')));
    });
  }
  it('revokedPatient · get his own (revoked) grant → allow: the owner reads it, and sees why', async () => {
    await assertSucceeds(getDoc(doc(sameContext('revokedPatient'), paths.portalGrant(CLINIC, UID.rev))));
  });
});

describe('ownerPatient whose grant is revoked during the test', () => {
  for (const [label, run] of portalReads(UID.ana, ID.visibleDocument, ID.consent, ID.answers)) {
    it(`ownerPatient · ${label}: allow, revoked → deny on the next read, granted again → allow`, async () => {
      const db = sameContext('ownerPatient');
      const grantPath = paths.portalGrant(CLINIC, UID.ana);
      await assertSucceeds(run(db));
      await adminSet(env, grantPath, revoked(grantPath));
      await assertFails(run(db));
      await restore(env, [grantPath]);
      await assertSucceeds(run(db));
    });
  }
});

describe('a listener opened before the revocation', () => {
  it('ownerPatient · live list of visible documents: the next document after the revocation never arrives; the listener ends in permission-denied', async () => {
    const db = sameContext('ownerPatient');
    const grantPath = paths.portalGrant(CLINIC, UID.ana);
    const docs = `${paths.clinicPatient(CLINIC, UID.ana)}/documents`;
    const seen: string[][] = [];
    let failure: string | undefined;
    const stop = onSnapshot(
      query(collection(db, docs), where('visibleToPatient', '==', true)),
      (snap) => seen.push(snap.docs.map((d) => d.id)),
      (e) => (failure = e.code),
    );
    try {
      await expect.poll(() => seen.length).toBeGreaterThan(0);
      expect(seen[0]).toContain(ID.visibleDocument);
      // While the grant holds, a new document reaches the open listener.
      const visible = seeded(paths.patientDocument(CLINIC, UID.ana, ID.visibleDocument)).data;
      await adminSet(env, `${docs}/doc-live-1`, visible);
      await expect.poll(() => seen.at(-1)).toContain('doc-live-1');

      await adminSet(env, grantPath, revoked(grantPath));
      await adminSet(env, `${docs}/doc-live-2`, visible);
      await expect.poll(() => failure).toBe('permission-denied');
      expect(seen.flat()).not.toContain('doc-live-2');
    } finally {
      stop();
    }
  });
});

describe('members whose membership is revoked during the test', () => {
  const records: Read[] = [
    ['get the clinic record', get(paths.clinicPatient(CLINIC, UID.ana))],
    ['list the clinic records', list((db) => collection(db, paths.clinicPatients(CLINIC)))],
    ['list the patient documents', list((db) => collection(db, `${paths.clinicPatient(CLINIC, UID.ana)}/documents`))],
    ['list the consent templates', list((db) => collection(db, `clinics/${CLINIC}/consentTemplates`))],
  ];
  const members: readonly (readonly [ActorKey, string])[] = [
    ['clinicStaff', paths.clinicMember(CLINIC, UID.staffAndina)],
    ['assignedSpecialist', paths.clinicMember(CLINIC, UID.lopez)],
  ];
  for (const [key, memberPath] of members) {
    for (const [label, run] of records) {
      it(`${key} · ${label}: allow, membership revoked → deny on the next read`, async () => {
        const db = sameContext(key);
        await assertSucceeds(run(db));
        await adminSet(env, memberPath, revoked(memberPath));
        await assertFails(run(db));
      });
    }
  }
  it("clinicStaff · list the clinic's appointments: allow, membership revoked → deny", async () => {
    const db = sameContext('clinicStaff');
    const q = query(collection(db, 'appointments'), where('clinicId', '==', CLINIC));
    await assertSucceeds(getDocs(q));
    await adminSet(
      env,
      paths.clinicMember(CLINIC, UID.staffAndina),
      revoked(paths.clinicMember(CLINIC, UID.staffAndina)),
    );
    await assertFails(getDocs(q));
  });
  it('assignedSpecialist · get his own appointment after losing the membership → allow (he is its specialist)', async () => {
    const db = sameContext('assignedSpecialist');
    await adminSet(env, paths.clinicMember(CLINIC, UID.lopez), revoked(paths.clinicMember(CLINIC, UID.lopez)));
    await assertSucceeds(getDoc(doc(db, paths.appointment(ID.appointment))));
  });
});

describe('claims are hints, documents are grants', () => {
  it("otherClinicStaff claiming clinicIds ['iberia', 'andina'] · get an andina record → deny", async () => {
    const db = env.as(UID.staffIberia, { roles: ['staff'], clinicIds: [OTHER_CLINIC, CLINIC] });
    await assertFails(getDoc(doc(db, paths.clinicPatient(CLINIC, UID.ana))));
  });
  it('a staff member whose membership predates the grant fields (no active) · get an andina record → deny', async () => {
    const db = env.as(UID.legacyStaff, { roles: ['staff'], clinicIds: [CLINIC] });
    await assertFails(getDoc(doc(db, paths.clinicPatient(CLINIC, UID.ana))));
  });
  it('a patient with the andina clinicIds claim but no portal grant · get the record of his own path → deny', async () => {
    const db = env.as('p-sin-acceso', { roles: ['patient'], clinicIds: [CLINIC] });
    await assertFails(getDoc(doc(db, paths.clinicPatient(CLINIC, 'p-sin-acceso'))));
  });
});
