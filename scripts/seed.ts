/**
 * Seeds the demo world into the local stack (Auth emulator + our Firestore engine) with firebase-admin.
 * Idempotent: fixed ids, users updated in place. Every document is validated by its domain schema first.
 *   npm run seed          (uses FIRESTORE_EMULATOR_HOST / FIREBASE_AUTH_EMULATOR_HOST / GCLOUD_PROJECT)
 */
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { Timestamp, getFirestore } from 'firebase-admin/firestore';
import { clinicMemberSchema, clinicSchema, geohash, officeSchema, paths, reviewSchema, specialistSchema, userProfileSchema } from '../domain/src';
import { buildWorld, DEMO_PASSWORD } from './seed-data';

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

/** Validates every document of the world; throws on the first invalid one, naming it. */
export function validateWorld(now: Timestamp = Timestamp.now()): void {
  const check = (what: string, r: { success: boolean; error?: unknown }) => {
    if (!r.success) throw new Error(`Invalid seed document ${what}: ${String(r.error)}`);
  };
  for (const [id, c] of Object.entries(world.clinics)) check(paths.clinic(id), clinicSchema.safeParse(c));
  for (const m of world.members) check(paths.clinicMember(m.clinicId, m.uid), clinicMemberSchema.safeParse({ role: m.role, displayName: m.displayName }));
  for (const s of world.specialists) {
    check(paths.specialist(s.uid), specialistSchema.safeParse(s.profile));
    for (const o of s.offices) check(paths.office(s.uid, o.id), officeSchema.safeParse(o.office));
    for (const r of s.reviews) check(paths.review(s.uid, r.id), reviewSchema.safeParse(r.review));
  }
  for (const p of world.patients) check(paths.user(p.uid), userProfileSchema.safeParse({ ...p.profile, createdAt: now, roleStatus: 'active', claimsSyncedAt: now }));
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
      await auth.setCustomUserClaims(u.uid, { roles: u.roles, ...(u.clinicIds?.length ? { clinicIds: u.clinicIds } : {}) });
    }
    const now = Timestamp.now();
    const batch = db.batch();
    let docs = 0;
    const set = (path: string, data: object) => {
      batch.set(db.doc(path), data);
      docs++;
    };
    for (const [id, c] of Object.entries(world.clinics)) set(paths.clinic(id), c);
    for (const m of world.members) set(paths.clinicMember(m.clinicId, m.uid), { role: m.role, displayName: m.displayName });
    for (const s of world.specialists) {
      set(paths.specialist(s.uid), s.profile);
      for (const o of s.offices) set(paths.office(s.uid, o.id), o.office);
      for (const r of s.reviews) set(paths.review(s.uid, r.id), r.review);
    }
    for (const p of world.patients) set(paths.user(p.uid), { ...p.profile, createdAt: now, roleStatus: 'active', claimsSyncedAt: now });
    await batch.commit();
    return { users: world.users.length, clinics: Object.keys(world.clinics).length, specialists: world.specialists.length, documents: docs };
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
