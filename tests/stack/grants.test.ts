/**
 * Roles and grants on the local stack: the real Functions emulator runs setClinicMembership, grantPortalAccess,
 * revokePortalAccess and approveSpecialist, called with the web SDK by seeded people signed in to the Auth emulator;
 * our engine enforces the project's firestore.rules. Checks that authority comes from grant documents (a revoked
 * staff member's still-valid token is refused), that claims follow the documents and reach the app on a forced token
 * refresh, that refusals are audited, and that malformed requests answer their error code and change nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Timestamp } from 'firebase-admin/firestore';
import { doc, getDocFromServer } from 'firebase/firestore';
import { paths, type CallableName } from '../../domain/src';
import { callRaw, codeOf, type StackClient } from './support/clients';
import { useStack } from './support/use-stack';

const ports = { firestore: 12080, storage: 12199, auth: 12099, functions: 12001, hub: 12400, logging: 12500 };
const suite = useStack({ name: 'grants', ports });

/** Seeded people (scripts/seed-data.ts). */
const EMAIL = {
  staffAndina: 'recepcion.andina@demo.telesalud.test',
  staffIberia: 'recepcion.iberia@demo.telesalud.test',
  admin: 'admin@demo.telesalud.test',
  ana: 'paciente@demo.telesalud.test',
  luis: 'luis.mendoza@demo.telesalud.test',
  pau: 'pau.ferrer@demo.telesalud.test',
  carmen: 'carmen.vidal@demo.telesalud.test',
} as const;
const UID = {
  staffAndina: 'staff-andina',
  staffIberia: 'staff-iberia',
  admin: 'admin-plataforma',
  ana: 'pac-ana-torres',
  luis: 'pac-luis-mendoza',
  carla: 'pac-carla-nunez',
  marta: 'pac-marta-ruiz',
  pau: 'esp-pau-ferrer',
  carmen: 'esp-carmen-vidal',
  valentina: 'esp-valentina-rojas',
  andres: 'esp-andres-gomez',
  jorge: 'esp-jorge-herrera',
} as const;
const ANDINA = 'clinica-andina';
const IBERIA = 'centro-medico-iberia';

async function readAs(client: StackClient, docPath: string): Promise<string> {
  try {
    await getDocFromServer(doc(client.db, docPath));
    return 'ok';
  } catch (e) {
    return String((e as { code?: unknown }).code);
  }
}

async function data(docPath: string): Promise<Record<string, unknown> | undefined> {
  return (await suite.adminDb.doc(docPath).get()).data();
}

interface AuditRow {
  id: string;
  who: string | null;
  role: string;
  action: string;
  target: string;
  outcome: string;
  reason?: string;
  requestId: string;
  at: Timestamp;
}

/** The whole audit log, oldest first. */
async function auditEntries(): Promise<AuditRow[]> {
  const rows = (await suite.adminDb.collection('auditLog').get()).docs.map((d) => ({ ...d.data(), id: d.id }) as AuditRow);
  return rows.sort((a, b) => a.at.toMillis() - b.at.toMillis());
}

/** The audit entries written since `before` (a set of entry ids). */
async function auditSince(before: ReadonlySet<string>): Promise<AuditRow[]> {
  return (await auditEntries()).filter((e) => !before.has(e.id));
}

async function auditIds(): Promise<Set<string>> {
  return new Set((await auditEntries()).map((e) => e.id));
}

/** Every document a grant callable can touch, and every user's claims. */
async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const queries = [
    suite.adminDb.collection('clinics'),
    suite.adminDb.collectionGroup('members'),
    suite.adminDb.collectionGroup('portalGrants'),
    suite.adminDb.collectionGroup('patients'),
    suite.adminDb.collection('specialists'),
    suite.adminDb.collection('users'),
  ];
  for (const q of queries) for (const d of (await q.get()).docs) out[d.ref.path] = d.data();
  for (const u of (await suite.adminAuth.listUsers(1000)).users) out[`auth/${u.uid}`] = u.customClaims ?? null;
  return out;
}

async function rolesOf(uid: string): Promise<Record<string, unknown> | undefined> {
  return (await suite.adminAuth.getUser(uid)).customClaims;
}

/** One malformed or unauthorised request and the code it must get. */
interface Case {
  name: string;
  as: keyof typeof EMAIL | 'anonymous';
  /** The payload for the web SDK; absent when `raw` is used. */
  data?: unknown;
  /** A hand-written JSON body ({"data": …}). */
  raw?: string;
  code: string;
}

/**
 * The request classes every callable must refuse. `valid` is a payload the caller `as` would be allowed to send;
 * `idKey` names one of its id fields, the one that is broken in turn.
 */
function commonCases(valid: Record<string, unknown>, idKey: string, as: Case['as']): Case[] {
  const without = Object.fromEntries(Object.entries(valid).filter(([k]) => k !== idKey));
  const rest = JSON.stringify(without).slice(1, -1);
  return [
    { name: `missing ${idKey}`, as, data: without, code: 'invalid-argument' },
    { name: 'an extra field', as, data: { ...valid, isAdmin: true }, code: 'invalid-argument' },
    { name: `${idKey} of the wrong type`, as, data: { ...valid, [idKey]: 42 }, code: 'invalid-argument' },
    { name: `${idKey} as an object`, as, data: { ...valid, [idKey]: { '==': 'x' } }, code: 'invalid-argument' },
    { name: 'a null payload', as, data: null, code: 'invalid-argument' },
    { name: `a null ${idKey}`, as, data: { ...valid, [idKey]: null }, code: 'invalid-argument' },
    { name: `an empty ${idKey}`, as, data: { ...valid, [idKey]: '' }, code: 'invalid-argument' },
    { name: `a 10 KB ${idKey}`, as, data: { ...valid, [idKey]: 'a'.repeat(10 * 1024) }, code: 'invalid-argument' },
    { name: `a reserved id __x__ as ${idKey}`, as, data: { ...valid, [idKey]: '__x__' }, code: 'invalid-argument' },
    { name: `a path as ${idKey}`, as, data: { ...valid, [idKey]: `${String(valid[idKey])}/members/x` }, code: 'invalid-argument' },
    { name: 'an array payload', as, data: [valid], code: 'invalid-argument' },
    { name: 'a string payload', as, data: 'x', code: 'invalid-argument' },
    { name: 'an own __proto__ key', as, raw: JSON.stringify({ data: valid }).replace(/\}\}$/, ',"__proto__":{"isAdmin":true}}}'), code: 'invalid-argument' },
    {
      name: `${idKey} smuggled in through __proto__`,
      as,
      raw: `{"data":{${rest}${rest ? ',' : ''}"__proto__":{"${idKey}":${JSON.stringify(valid[idKey])}}}}`,
      code: 'invalid-argument',
    },
    { name: 'no sign-in', as: 'anonymous', data: valid, code: 'unauthenticated' },
  ];
}

const clients = new Map<Case['as'], Promise<StackClient>>();
function clientFor(as: Case['as']): Promise<StackClient> {
  let c = clients.get(as);
  if (!c) {
    c = as === 'anonymous' ? Promise.resolve(suite.people.anonymous()) : suite.people.signIn(EMAIL[as]);
    clients.set(as, c);
  }
  return c;
}

async function run(callable: CallableName, c: Case): Promise<string> {
  const client = await clientFor(c.as);
  if (c.raw !== undefined) return callRaw(suite.stack, callable, c.raw, await client.user?.getIdToken());
  return codeOf(client.call(callable, c.data));
}

/** Runs every case, then checks that the database and every user's claims are exactly as before. */
function refusesAll(callable: CallableName, cases: Case[]): void {
  describe(`${callable} refuses malformed and unauthorised requests`, () => {
    let before: Record<string, unknown>;
    let auditBefore: Set<string>;
    beforeAll(async () => {
      before = await snapshot();
      auditBefore = await auditIds();
    });
    it('has at least 12 classes of bad input', () => {
      expect(new Set(cases.map((c) => c.name)).size).toBeGreaterThanOrEqual(12);
    });
    it.each(cases)('$name → $code', async (c) => {
      expect(await run(callable, c)).toBe(c.code);
    });
    it('left every grant, profile, record and claim unchanged, and only audited refusals', async () => {
      expect(await snapshot()).toEqual(before);
      // Refusals of who you are (signed out, wrong role, not staff of the clinic) are audited; bad input is not.
      const added = await auditSince(auditBefore);
      expect(added).toHaveLength(cases.filter((c) => c.code === 'permission-denied' || c.code === 'unauthenticated').length);
      for (const e of added) expect(e).toMatchObject({ action: 'callable.denied', outcome: 'denied', target: `callables/${callable}` });
    });
  });
}

const validMembership = { clinicId: ANDINA, uid: UID.luis, role: 'staff', active: true };
refusesAll('setClinicMembership', [
  ...commonCases(validMembership, 'clinicId', 'staffAndina'),
  ...commonCases(validMembership, 'uid', 'staffAndina').filter((c) => !['an extra field', 'a null payload', 'an array payload', 'a string payload', 'an own __proto__ key', 'no sign-in'].includes(c.name)),
  { name: 'role admin (not a membership role)', as: 'admin', data: { ...validMembership, role: 'admin' }, code: 'invalid-argument' },
  { name: 'active as the string "true"', as: 'staffAndina', data: { ...validMembership, active: 'true' }, code: 'invalid-argument' },
  { name: 'a blank displayName', as: 'staffAndina', data: { ...validMembership, displayName: '   ' }, code: 'invalid-argument' },
  { name: 'a 121-character displayName', as: 'staffAndina', data: { ...validMembership, displayName: 'x'.repeat(121) }, code: 'invalid-argument' },
  { name: 'a patient (wrong role)', as: 'ana', data: validMembership, code: 'permission-denied' },
  { name: "another clinic's staff", as: 'staffIberia', data: validMembership, code: 'permission-denied' },
  { name: "staff of this clinic acting on another clinic's ids", as: 'staffAndina', data: { ...validMembership, clinicId: IBERIA }, code: 'permission-denied' },
  { name: 'staff on a clinic that does not exist', as: 'staffAndina', data: { ...validMembership, clinicId: 'no-such-clinic' }, code: 'permission-denied' },
  { name: 'an admin on a clinic that does not exist', as: 'admin', data: { ...validMembership, clinicId: 'no-such-clinic' }, code: 'not-found' },
  { name: 'a user that does not exist', as: 'staffAndina', data: { ...validMembership, uid: 'nobody-here' }, code: 'not-found' },
  { name: 'staff revoking themselves', as: 'staffAndina', data: { clinicId: ANDINA, uid: UID.staffAndina, role: 'staff', active: false }, code: 'failed-precondition' },
  { name: 'staff changing their own role', as: 'staffAndina', data: { clinicId: ANDINA, uid: UID.staffAndina, role: 'specialist', active: true }, code: 'failed-precondition' },
  { name: 'a specialist membership for a specialist under review', as: 'staffAndina', data: { clinicId: ANDINA, uid: UID.pau, role: 'specialist', active: true }, code: 'failed-precondition' },
  { name: 'revoking with the wrong role', as: 'staffAndina', data: { clinicId: ANDINA, uid: UID.andres, role: 'staff', active: false }, code: 'failed-precondition' },
  { name: 'revoking a membership that does not exist', as: 'staffAndina', data: { clinicId: ANDINA, uid: UID.luis, role: 'staff', active: false }, code: 'not-found' },
]);

const validGrant = { clinicId: ANDINA, patientUid: UID.carla };
refusesAll('grantPortalAccess', [
  ...commonCases(validGrant, 'clinicId', 'staffAndina'),
  ...commonCases(validGrant, 'patientUid', 'staffAndina').filter((c) => ['missing patientUid', 'a null patientUid', 'a 10 KB patientUid', 'patientUid smuggled in through __proto__'].includes(c.name)),
  { name: 'a patient (wrong role)', as: 'ana', data: validGrant, code: 'permission-denied' },
  { name: 'a specialist (wrong role)', as: 'pau', data: validGrant, code: 'permission-denied' },
  { name: "another clinic's staff", as: 'staffIberia', data: validGrant, code: 'permission-denied' },
  { name: "staff of this clinic acting on another clinic's ids", as: 'staffAndina', data: { ...validGrant, clinicId: IBERIA }, code: 'permission-denied' },
  { name: 'an admin on a clinic that does not exist', as: 'admin', data: { ...validGrant, clinicId: 'no-such-clinic' }, code: 'not-found' },
  { name: 'a patient that does not exist', as: 'staffAndina', data: { ...validGrant, patientUid: 'nobody-here' }, code: 'not-found' },
]);

const validRevoke = { clinicId: IBERIA, patientUid: UID.marta, reason: 'Cambio de clínica' };
refusesAll('revokePortalAccess', [
  ...commonCases(validRevoke, 'patientUid', 'staffIberia'),
  { name: 'a 10 KB reason', as: 'staffIberia', data: { ...validRevoke, reason: 'r'.repeat(10 * 1024) }, code: 'invalid-argument' },
  { name: 'an empty reason', as: 'staffIberia', data: { ...validRevoke, reason: '' }, code: 'invalid-argument' },
  { name: 'a patient revoking their own grant', as: 'ana', data: validRevoke, code: 'permission-denied' },
  { name: "another clinic's staff", as: 'staffAndina', data: validRevoke, code: 'permission-denied' },
  { name: 'staff of a clinic on a grant of another clinic', as: 'staffAndina', data: { clinicId: IBERIA, patientUid: UID.ana }, code: 'permission-denied' },
  { name: 'a grant that does not exist', as: 'staffIberia', data: { clinicId: IBERIA, patientUid: UID.carla }, code: 'not-found' },
]);

const validReview = { specialistUid: UID.carmen, status: 'approved' };
refusesAll('approveSpecialist', [
  ...commonCases(validReview, 'specialistUid', 'admin'),
  { name: 'status pending_review (not a decision)', as: 'admin', data: { ...validReview, status: 'pending_review' }, code: 'invalid-argument' },
  { name: 'an unknown status', as: 'admin', data: { ...validReview, status: 'banned' }, code: 'invalid-argument' },
  { name: 'a suspension without a note', as: 'admin', data: { ...validReview, status: 'suspended' }, code: 'invalid-argument' },
  { name: 'a 10 KB note', as: 'admin', data: { ...validReview, note: 'n'.repeat(10 * 1024) }, code: 'invalid-argument' },
  { name: 'staff (wrong role)', as: 'staffAndina', data: validReview, code: 'permission-denied' },
  { name: 'the specialist approving themselves', as: 'pau', data: { specialistUid: UID.pau, status: 'approved' }, code: 'permission-denied' },
  { name: 'a specialist that does not exist', as: 'admin', data: { ...validReview, specialistUid: 'nobody-here' }, code: 'not-found' },
  { name: 'an approved specialist sent back to draft', as: 'admin', data: { specialistUid: UID.andres, status: 'draft', note: 'Revisar la foto' }, code: 'failed-precondition' },
]);

describe('portal access', () => {
  const record = paths.clinicPatient(ANDINA, UID.ana);
  const grantPath = paths.portalGrant(ANDINA, UID.ana);

  it('is revoked and granted again by clinic staff; the patient\'s next read with the same token follows the grant', async () => {
    const ana = await suite.people.signIn(EMAIL.ana);
    const staff = await suite.people.signIn(EMAIL.staffAndina);
    const token = await ana.user.getIdToken();
    expect(await data(grantPath)).toMatchObject({ active: true, grantedBy: 'system' });
    expect(await readAs(ana, record)).toBe('ok');

    const revoked = (await staff.call('revokePortalAccess', { clinicId: ANDINA, patientUid: UID.ana, reason: 'Pruebas' })) as { active: boolean; revokedAt: string };
    expect(revoked).toMatchObject({ clinicId: ANDINA, patientUid: UID.ana, active: false });
    expect(Date.parse(revoked.revokedAt)).not.toBeNaN();
    const afterRevoke = await data(grantPath);
    expect(afterRevoke).toMatchObject({ active: false, grantedBy: 'system' });
    expect((afterRevoke?.revokedAt as Timestamp).toDate().toISOString()).toBe(revoked.revokedAt);

    // The very next read, with the ID token the patient already had (no refresh, no sign-in).
    expect(await ana.user.getIdToken()).toBe(token);
    expect(await readAs(ana, record)).toBe('permission-denied');
    // Her own grant stays readable to her (firestore.rules), and tells the app why the records went away.
    expect(await readAs(ana, grantPath)).toBe('ok');
    expect((await getDocFromServer(doc(ana.db, grantPath))).data()).toMatchObject({ active: false });

    // Revoking again is a safe retry: same answer, nothing moves.
    expect(await staff.call('revokePortalAccess', { clinicId: ANDINA, patientUid: UID.ana })).toEqual(revoked);

    const granted = (await staff.call('grantPortalAccess', { clinicId: ANDINA, patientUid: UID.ana })) as { active: boolean; grantedAt: string };
    expect(granted).toMatchObject({ clinicId: ANDINA, patientUid: UID.ana, active: true });
    const afterGrant = await data(grantPath);
    expect(afterGrant).toMatchObject({ active: true, grantedBy: UID.staffAndina });
    expect(afterGrant).not.toHaveProperty('revokedAt');
    expect((afterGrant?.grantedAt as Timestamp).toDate().toISOString()).toBe(granted.grantedAt);
    expect(await ana.user.getIdToken()).toBe(token);
    expect(await readAs(ana, record)).toBe('ok');

    const audit = (await auditEntries()).filter((e) => e.target === grantPath);
    expect(audit.filter((e) => e.action === 'portal.revoke')).toEqual([
      expect.objectContaining({ who: UID.staffAndina, role: 'staff', outcome: 'allowed', reason: 'revoked' }),
      expect.objectContaining({ who: UID.staffAndina, role: 'staff', outcome: 'allowed', reason: 'already-revoked' }),
    ]);
    expect(audit.filter((e) => e.action === 'portal.grant')).toEqual([expect.objectContaining({ who: UID.staffAndina, outcome: 'allowed', reason: 'granted' })]);
  });

  it("gives the patient role to an account that had none, and the account's app sees it after a token refresh", async () => {
    const carmen = await suite.people.signIn(EMAIL.carmen);
    expect((await carmen.user.getIdTokenResult()).claims.roles).toBeUndefined();
    const admin = await suite.people.signIn(EMAIL.admin);
    await admin.call('grantPortalAccess', { clinicId: IBERIA, patientUid: UID.carmen });
    expect(await rolesOf(UID.carmen)).toEqual({ roles: ['patient'] });
    expect((await carmen.user.getIdTokenResult()).claims.roles).toBeUndefined();
    expect((await carmen.user.getIdTokenResult(true)).claims.roles).toEqual(['patient']);
    expect(await data(paths.portalGrant(IBERIA, UID.carmen))).toMatchObject({ active: true, grantedBy: UID.admin });
  });
});

describe('clinic membership', () => {
  it("refuses staff of another clinic, audits the refusal, and leaves the clinic's members as they were", async () => {
    const iberia = await suite.people.signIn(EMAIL.staffIberia);
    const before = (await suite.adminDb.collection(paths.clinicMembers(ANDINA)).get()).docs.map((d) => [d.id, d.data()]);
    const audited = await auditIds();
    expect(await codeOf(iberia.call('setClinicMembership', { clinicId: ANDINA, uid: UID.staffIberia, role: 'staff', active: true }))).toBe('permission-denied');
    expect((await suite.adminDb.collection(paths.clinicMembers(ANDINA)).get()).docs.map((d) => [d.id, d.data()])).toEqual(before);
    const denial = await auditSince(audited);
    expect(denial).toEqual([
      expect.objectContaining({ who: UID.staffIberia, role: 'staff', action: 'callable.denied', target: 'callables/setClinicMembership', outcome: 'denied', reason: 'not-clinic-staff' }),
    ]);
    expect(denial[0]?.requestId).toMatch(/^[A-Za-z0-9_.:-]{1,128}$/);
  });

  it('grants staff; the new claims reach the app on a token refresh, without a new sign-up; a revocation beats the old token', async () => {
    const luis = await suite.people.signIn(EMAIL.luis);
    const staff = await suite.people.signIn(EMAIL.staffAndina);
    const memberPath = paths.clinicMember(ANDINA, UID.luis);
    const syncedBefore = (await data(paths.user(UID.luis)))?.claimsSyncedAt as Timestamp;
    expect((await luis.user.getIdTokenResult()).claims).toMatchObject({ roles: ['patient'] });

    expect(await staff.call('setClinicMembership', { clinicId: ANDINA, uid: UID.luis, role: 'staff', active: true })).toEqual({
      clinicId: ANDINA,
      uid: UID.luis,
      role: 'staff',
      active: true,
    });
    // The name comes from the user's profile; the grant fields name who granted it.
    expect(await data(memberPath)).toMatchObject({ role: 'staff', displayName: 'Luis Mendoza', active: true, grantedBy: UID.staffAndina });
    expect(await rolesOf(UID.luis)).toEqual({ roles: ['patient', 'staff'], clinicIds: [ANDINA] });
    const synced = (await data(paths.user(UID.luis)))?.claimsSyncedAt as Timestamp;
    expect(synced.toMillis()).toBeGreaterThan(syncedBefore.toMillis());

    // The app's cached token is the old one until it refreshes; the refresh carries the new claims.
    expect((await luis.user.getIdTokenResult()).claims.roles).toEqual(['patient']);
    const refreshed = await luis.user.getIdTokenResult(true);
    expect(refreshed.claims).toMatchObject({ roles: ['patient', 'staff'], clinicIds: [ANDINA] });

    // Now staff, Luis manages the clinic's portal grants and reads its records (authority from his membership).
    expect(await codeOf(luis.call('grantPortalAccess', { clinicId: ANDINA, patientUid: UID.carla }))).toBe('ok');
    expect(await readAs(luis, paths.clinicPatient(ANDINA, UID.ana))).toBe('ok');

    expect(await staff.call('setClinicMembership', { clinicId: ANDINA, uid: UID.luis, role: 'staff', active: false })).toMatchObject({ active: false });
    const revoked = await data(memberPath);
    expect(revoked).toMatchObject({ active: false, grantedBy: UID.staffAndina });
    expect(revoked?.revokedAt).toBeDefined();
    expect(await rolesOf(UID.luis)).toEqual({ roles: ['patient'] });

    // His token still says staff of clinica-andina, for up to an hour; the membership document says no.
    expect((await luis.user.getIdTokenResult()).claims).toMatchObject({ roles: ['patient', 'staff'], clinicIds: [ANDINA] });
    expect(await codeOf(luis.call('grantPortalAccess', { clinicId: ANDINA, patientUid: UID.marta }))).toBe('permission-denied');
    expect(await data(paths.portalGrant(ANDINA, UID.marta))).toBeUndefined();
    expect(await readAs(luis, paths.clinicPatient(ANDINA, UID.ana))).toBe('permission-denied');
    const after = await luis.user.getIdTokenResult(true);
    expect(after.claims.roles).toEqual(['patient']);
    expect(after.claims.clinicIds).toBeUndefined();

    const audit = (await auditEntries()).filter((e) => e.target === memberPath && e.action === 'membership.set');
    expect(audit.map((e) => [e.who, e.reason])).toEqual([
      [UID.staffAndina, 'grant-staff'],
      [UID.staffAndina, 'revoke-staff'],
    ]);
  });

  it('answers failed-precondition, not internal, when the only names the account has are ones it wrote with bidi or control characters', async () => {
    // Both fallbacks are the user's own words: the Auth name (set with their own token) and the profile (a row the
    // rules once let through). Neither may turn a grant into a 500; a name given by staff is used instead.
    const uid = 'hostile-name';
    await suite.adminAuth.createUser({ uid, email: 'hostile-name@demo.telesalud.test', password: 'demo1234', displayName: 'Dr\u202Egnip' });
    await suite.stack.whenTriggersIdle();
    await suite.adminDb.doc(paths.user(uid)).set({ displayName: 'Ana\u0000 Torres' }, { merge: true });
    const staff = await suite.people.signIn(EMAIL.staffAndina);
    const grant = { clinicId: ANDINA, uid, role: 'staff', active: true } as const;
    expect(await codeOf(staff.call('setClinicMembership', grant))).toBe('failed-precondition');
    expect(await data(paths.clinicMember(ANDINA, uid))).toBeUndefined();
    expect(await codeOf(staff.call('setClinicMembership', { ...grant, displayName: 'Rosa Díaz' }))).toBe('ok');
    expect(await data(paths.clinicMember(ANDINA, uid))).toMatchObject({ displayName: 'Rosa Díaz', active: true });
    expect(await codeOf(staff.call('setClinicMembership', { ...grant, active: false }))).toBe('ok');
    // Leave the world as the later tests expect it.
    await suite.adminAuth.deleteUser(uid);
    await suite.stack.whenTriggersIdle();
    await Promise.all([suite.adminDb.doc(paths.clinicMember(ANDINA, uid)).delete(), suite.adminDb.doc(paths.user(uid)).delete()]);
  });

  it('lets an admin add an approved specialist to a clinic; clinicIds follow every active membership', async () => {
    const admin = await suite.people.signIn(EMAIL.admin);
    await admin.call('setClinicMembership', { clinicId: IBERIA, uid: UID.jorge, role: 'specialist', active: true, displayName: 'Dr. Jorge Herrera' });
    expect(await rolesOf(UID.jorge)).toEqual({ roles: ['specialist'], clinicIds: [IBERIA] });
    await admin.call('setClinicMembership', { clinicId: ANDINA, uid: UID.jorge, role: 'specialist', active: true });
    expect(await rolesOf(UID.jorge)).toEqual({ roles: ['specialist'], clinicIds: [IBERIA, ANDINA].sort() });
    // Granting again keeps the original grant (a safe retry).
    const first = await data(paths.clinicMember(IBERIA, UID.jorge));
    await admin.call('setClinicMembership', { clinicId: IBERIA, uid: UID.jorge, role: 'specialist', active: true });
    expect(await data(paths.clinicMember(IBERIA, UID.jorge))).toEqual(first);
  });
});

describe('specialist review', () => {
  it('approves a specialist under review: status, role claim (seen after a token refresh) and audit', async () => {
    const pau = await suite.people.signIn(EMAIL.pau);
    expect((await pau.user.getIdTokenResult()).claims.roles).toBeUndefined();
    const admin = await suite.people.signIn(EMAIL.admin);
    expect(await admin.call('approveSpecialist', { specialistUid: UID.pau, status: 'approved' })).toEqual({ specialistUid: UID.pau, status: 'approved' });
    expect(await data(paths.specialist(UID.pau))).toMatchObject({ status: 'approved' });
    expect(await rolesOf(UID.pau)).toEqual({ roles: ['specialist'] });
    expect((await pau.user.getIdTokenResult(true)).claims.roles).toEqual(['specialist']);
    expect((await auditEntries()).filter((e) => e.action === 'specialist.review' && e.target === paths.specialist(UID.pau))).toEqual([
      expect.objectContaining({ who: UID.admin, role: 'admin', outcome: 'allowed', reason: 'pending_review-to-approved' }),
    ]);
  });

  it("suspends an approved specialist: the role goes, their clinic memberships are revoked, the patient role stays; reinstating gives the role back", async () => {
    const admin = await suite.people.signIn(EMAIL.admin);
    const valentina = await suite.people.signIn('especialista@demo.telesalud.test');
    const member = paths.clinicMember(ANDINA, UID.valentina);
    const record = paths.clinicPatient(ANDINA, UID.ana);
    expect(await rolesOf(UID.valentina)).toEqual({ roles: ['specialist', 'patient'], clinicIds: [ANDINA] });
    expect(await readAs(valentina, record)).toBe('ok');
    await admin.call('approveSpecialist', { specialistUid: UID.valentina, status: 'suspended', note: 'Documentación vencida' });
    expect(await data(paths.specialist(UID.valentina))).toMatchObject({ status: 'suspended' });
    expect(await data(member)).toMatchObject({ role: 'specialist', active: false });
    expect((await data(member))?.revokedAt).toBeDefined();
    expect(await rolesOf(UID.valentina)).toEqual({ roles: ['patient'] });
    // Her token still says specialist of clinica-andina; the revoked membership closes the records at once.
    expect((await valentina.user.getIdTokenResult()).claims).toMatchObject({ roles: ['specialist', 'patient'], clinicIds: [ANDINA] });
    expect(await readAs(valentina, record)).toBe('permission-denied');
    const audit = (await auditEntries()).filter((e) => e.who === UID.admin && (e.target === member || e.target === paths.specialist(UID.valentina)));
    expect(audit.map((e) => [e.action, e.reason]).sort()).toEqual([
      ['membership.set', 'specialist-suspended'],
      ['specialist.review', 'approved-to-suspended'],
    ]);

    await admin.call('approveSpecialist', { specialistUid: UID.valentina, status: 'approved' });
    expect(await rolesOf(UID.valentina)).toEqual({ roles: ['patient', 'specialist'] });
    // The clinic decides whether she comes back.
    expect(await data(member)).toMatchObject({ active: false });
  });
});

describe('questionnaires (saveQuestionnaire: rules cannot validate a typed list of questions)', () => {
  const questions = [
    { id: 'smoker', kind: 'yes_no', label: '¿Fuma?', required: true },
    { id: 'areas', kind: 'multiple_choice', label: 'Zonas a revisar', required: false, options: [{ value: 'face', label: 'Cara' }, { value: 'back', label: 'Espalda' }] },
  ];

  it('staff create at version 1; a content change bumps the version, switching active alone does not', async () => {
    const staff = await suite.people.signIn(EMAIL.staffAndina);
    const created = (await staff.call('saveQuestionnaire', { clinicId: ANDINA, title: 'Antes de su consulta', active: true, questions })) as { questionnaireId: string; version: number };
    expect(created.version).toBe(1);
    const path = paths.questionnaire(ANDINA, created.questionnaireId);
    expect(await data(path)).toMatchObject({ title: 'Antes de su consulta', version: 1, active: true, updatedBy: UID.staffAndina });

    const off = (await staff.call('saveQuestionnaire', { clinicId: ANDINA, questionnaireId: created.questionnaireId, title: 'Antes de su consulta', active: false, questions })) as { version: number };
    expect(off.version).toBe(1);
    const edited = (await staff.call('saveQuestionnaire', { clinicId: ANDINA, questionnaireId: created.questionnaireId, title: 'Antes de su primera consulta', active: true, questions })) as { version: number };
    expect(edited.version).toBe(2);
    expect(await data(path)).toMatchObject({ title: 'Antes de su primera consulta', version: 2, active: true });
  });

  it('refuses staff of another clinic, patients, malformed questions, and an unknown id, writing nothing', async () => {
    const before = (await suite.adminDb.collection(`clinics/${ANDINA}/questionnaires`).get()).size;
    const iberia = await suite.people.signIn(EMAIL.staffIberia);
    const ana = await suite.people.signIn(EMAIL.ana);
    const staff = await suite.people.signIn(EMAIL.staffAndina);
    const ok = { clinicId: ANDINA, title: 'T', active: true, questions };
    expect(await codeOf(iberia.call('saveQuestionnaire', ok))).toBe('permission-denied');
    expect(await codeOf(ana.call('saveQuestionnaire', ok))).toBe('permission-denied');
    expect(await codeOf(suite.people.anonymous().call('saveQuestionnaire', ok))).toBe('unauthenticated');
    expect(await codeOf(staff.call('saveQuestionnaire', { ...ok, questions: [{ id: 'x', kind: 'script', label: '¿?', required: false }] }))).toBe('invalid-argument');
    expect(await codeOf(staff.call('saveQuestionnaire', { ...ok, questions: [] }))).toBe('invalid-argument');
    expect(await codeOf(staff.call('saveQuestionnaire', { ...ok, version: 7 }))).toBe('invalid-argument');
    expect(await codeOf(staff.call('saveQuestionnaire', { ...ok, title: 'x'.repeat(10_000) }))).toBe('invalid-argument');
    expect(await codeOf(staff.call('saveQuestionnaire', { ...ok, questionnaireId: 'no-such-form' }))).toBe('not-found');
    expect((await suite.adminDb.collection(`clinics/${ANDINA}/questionnaires`).get()).size).toBe(before);
  });
});
