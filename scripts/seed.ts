/**
 * Seeds the demo world into the local stack (Auth emulator + our Firestore engine) with firebase-admin.
 * Idempotent: fixed ids, users updated in place. Every document is validated by its domain schema first.
 *   npm run seed          (uses FIRESTORE_EMULATOR_HOST / FIREBASE_AUTH_EMULATOR_HOST / GCLOUD_PROJECT)
 */
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { Timestamp, getFirestore } from 'firebase-admin/firestore';
import type { z } from 'zod';
import {
  clinicMemberSchema,
  clinicPatientSchema,
  clinicSchema,
  customClaimsSchema,
  geohash,
  officeSchema,
  paths,
  portalGrantSchema,
  reviewSchema,
  searchListingSchema,
  searchListingsFor,
  specialistSchema,
  userProfileSchema,
  type CustomClaims,
} from '../domain/src';
import { buildWorld, DEMO_PASSWORD, SEED_GRANTOR, SEEDED_AT_ISO, type DemoUser } from './seed-data';

export interface SeedEnv {
  FIRESTORE_EMULATOR_HOST: string;
  FIREBASE_AUTH_EMULATOR_HOST: string;
  GCLOUD_PROJECT: string;
}

export const world = buildWorld((lat, lng) => geohash(lat, lng, 10));

/** The logins `npm start` prints. */
export const DEMO_LOGINS = [
  { role: 'paciente', email: 'paciente@demo.telesalud.test' },
  { role: 'especialista (también paciente)', email: 'especialista@demo.telesalud.test' },
  { role: 'personal de clínica (Clínica Andina)', email: 'recepcion.andina@demo.telesalud.test' },
  { role: 'personal de clínica (Centro Médico Iberia)', email: 'recepcion.iberia@demo.telesalud.test' },
  { role: 'administración', email: 'admin@demo.telesalud.test' },
].map((l) => ({ ...l, password: DEMO_PASSWORD }));

/** One document the seed writes, with the schema it must pass. */
export interface SeedDocument {
  path: string;
  data: Record<string, unknown>;
  schema: z.ZodType;
}

/** The fields every seeded grant carries: active, granted by the system at a fixed instant (so reseeding is a no-op). */
function seededGrant(): { active: true; grantedAt: Timestamp; grantedBy: string } {
  return { active: true, grantedAt: Timestamp.fromDate(new Date(SEEDED_AT_ISO)), grantedBy: SEED_GRANTOR };
}

/**
 * Every document of the world, in write order.
 * @param now - the users' createdAt and claimsSyncedAt
 */
export function seedDocuments(now: Timestamp = Timestamp.now()): SeedDocument[] {
  const seededAt = Timestamp.fromDate(new Date(SEEDED_AT_ISO));
  const docs: SeedDocument[] = [];
  for (const [id, c] of Object.entries(world.clinics)) docs.push({ path: paths.clinic(id), data: c, schema: clinicSchema });
  for (const m of world.members) {
    docs.push({ path: paths.clinicMember(m.clinicId, m.uid), data: { role: m.role, displayName: m.displayName, ...seededGrant() }, schema: clinicMemberSchema });
  }
  for (const g of world.portalGrants) {
    docs.push({ path: paths.portalGrant(g.clinicId, g.patientUid), data: seededGrant(), schema: portalGrantSchema });
    docs.push({
      path: paths.clinicPatient(g.clinicId, g.patientUid),
      data: { displayName: g.record.displayName, contact: { email: g.record.email, phone: g.record.phone }, createdAt: seededAt, createdBy: SEED_GRANTOR, updatedAt: seededAt },
      schema: clinicPatientSchema,
    });
  }
  for (const s of world.specialists) {
    docs.push({ path: paths.specialist(s.uid), data: s.profile, schema: specialistSchema });
    for (const o of s.offices) docs.push({ path: paths.office(s.uid, o.id), data: o.office, schema: officeSchema });
    for (const r of s.reviews) docs.push({ path: paths.review(s.uid, r.id), data: r.review, schema: reviewSchema });
    // What the search trigger would compute, written with the rest so search works before any trigger has run.
    for (const l of searchListingsFor(s.uid, s.profile, s.offices)) docs.push({ path: paths.searchListing(l.id), data: l.listing, schema: searchListingSchema });
  }
  for (const p of world.patients) {
    docs.push({ path: paths.user(p.uid), data: { ...p.profile, createdAt: now, roleStatus: 'active', claimsSyncedAt: now }, schema: userProfileSchema });
  }
  return docs;
}

/**
 * The custom claims a demo user gets; null (no claims) for one without roles.
 * @param u - the demo user
 */
export function claimsOf(u: DemoUser): CustomClaims | null {
  if (u.roles.length === 0) return null;
  return { roles: u.roles, ...(u.clinicIds?.length ? { clinicIds: u.clinicIds } : {}) };
}

/** Validates every document and every user's claims; throws on the first invalid one, naming it. */
export function validateWorld(now: Timestamp = Timestamp.now()): void {
  const check = (what: string, r: { success: boolean; error?: unknown }) => {
    if (!r.success) throw new Error(`Invalid seed document ${what}: ${String(r.error)}`);
  };
  for (const d of seedDocuments(now)) check(d.path, d.schema.safeParse(d.data));
  for (const u of world.users) {
    const claims = claimsOf(u);
    if (claims) check(`claims of ${u.uid}`, customClaimsSchema.safeParse(claims));
  }
}

export async function seed(env: SeedEnv): Promise<Record<string, number>> {
  Object.assign(process.env, env);
  validateWorld();
  const app = initializeApp({ projectId: env.GCLOUD_PROJECT }, `seed-${Date.now()}`);
  try {
    const auth = getAuth(app);
    const db = getFirestore(app);
    for (const u of world.users) {
      try {
        await auth.updateUser(u.uid, { email: u.email, password: DEMO_PASSWORD, displayName: u.name, emailVerified: true });
      } catch (e) {
        if ((e as { code?: string }).code !== 'auth/user-not-found') throw e;
        await auth.createUser({ uid: u.uid, email: u.email, password: DEMO_PASSWORD, displayName: u.name, emailVerified: true });
      }
      await auth.setCustomUserClaims(u.uid, claimsOf(u));
    }
    const batch = db.batch();
    const docs = seedDocuments();
    // set() replaces each document, so a grant revoked while playing with the demo is active again after a reseed.
    for (const d of docs) batch.set(db.doc(d.path), d.data);
    await batch.commit();
    return { users: world.users.length, clinics: Object.keys(world.clinics).length, specialists: world.specialists.length, documents: docs.length };
  } finally {
    await deleteApp(app);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = {
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST ?? '127.0.0.1:8080',
    FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099',
    GCLOUD_PROJECT: process.env.GCLOUD_PROJECT ?? 'demo-telesalud',
  };
  seed(env).then(
    (s) => console.log('seeded', s),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
