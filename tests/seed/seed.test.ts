import { describe, expect, it } from 'vitest';
import { clinicMemberSchema, geohash, isActiveGrant, paths, portalGrantSchema } from '../../domain/src';
import { claimsOf, seedDocuments, validateWorld, world, DEMO_LOGINS } from '../../scripts/seed';
import { buildWorld, SEED_GRANTOR } from '../../scripts/seed-data';

describe('demo world', () => {
  it('passes every domain schema', () => {
    expect(() => validateWorld()).not.toThrow();
  });

  it('has the people the README promises', () => {
    expect(Object.keys(world.clinics)).toHaveLength(2);
    expect(world.specialists.length).toBeGreaterThanOrEqual(12);
    expect(new Set(world.specialists.flatMap((s) => s.profile.specialties)).size).toBeGreaterThanOrEqual(10);
    expect(world.specialists.some((s) => s.profile.status !== 'approved')).toBe(true);
    expect(world.users.filter((u) => u.roles.includes('staff'))).toHaveLength(2);
    expect(world.users.filter((u) => u.roles.includes('patient')).length).toBeGreaterThanOrEqual(6);
    for (const l of DEMO_LOGINS) expect(world.users.some((u) => u.email === l.email)).toBe(true);
  });

  it('places offices at their real coordinates', () => {
    const bogota = world.specialists.find((s) => s.uid === 'esp-valentina-rojas')?.offices[0]?.office;
    expect(bogota?.geohash).toBe(geohash(4.6768, -74.0486, 10));
    expect(bogota?.geohash.startsWith('d2g6')).toBe(true);
  });
});

describe('seeded grants', () => {
  const docs = new Map(seedDocuments().map((d) => [d.path, d.data]));

  it('writes every membership as an active grant by the system', () => {
    expect(world.members.length).toBeGreaterThan(0);
    for (const m of world.members) {
      const member = clinicMemberSchema.parse(docs.get(paths.clinicMember(m.clinicId, m.uid)));
      expect(isActiveGrant(member)).toBe(true);
      expect(member.grantedBy).toBe(SEED_GRANTOR);
      expect(member.grantedAt).toBeDefined();
    }
  });

  it("gives patients active portal grants, with the clinic's record, at the clinics they use", () => {
    expect(world.portalGrants.map((g) => `${g.clinicId}/${g.patientUid}`).sort()).toEqual(['centro-medico-iberia/pac-marta-ruiz', 'clinica-andina/pac-ana-torres']);
    for (const g of world.portalGrants) {
      expect(world.clinics[g.clinicId]).toBeDefined();
      expect(world.users.find((u) => u.uid === g.patientUid)?.roles).toContain('patient');
      expect(isActiveGrant(portalGrantSchema.parse(docs.get(paths.portalGrant(g.clinicId, g.patientUid))))).toBe(true);
      expect(docs.get(paths.clinicPatient(g.clinicId, g.patientUid))).toBeDefined();
    }
  });

  it("matches claims to the documents: staff claims name their clinic's membership, reviews decide the specialist role", () => {
    for (const u of world.users) {
      const claims = claimsOf(u);
      const memberships = world.members.filter((m) => m.uid === u.uid);
      expect(claims?.clinicIds ?? []).toEqual(memberships.map((m) => m.clinicId));
      expect(claims?.roles.includes('staff') ?? false).toBe(memberships.some((m) => m.role === 'staff'));
      const specialist = world.specialists.find((s) => s.uid === u.uid);
      if (specialist) expect(claims?.roles.includes('specialist') ?? false).toBe(specialist.profile.status === 'approved');
    }
    // A specialist under review has no role at all until approveSpecialist grants one.
    const pending = world.users.find((u) => u.uid === 'esp-pau-ferrer');
    expect(pending && claimsOf(pending)).toBeNull();
  });

  it('is deterministic, so seeding twice writes the same grant documents', () => {
    const again = buildWorld((lat, lng) => geohash(lat, lng, 10));
    expect(again).toEqual(world);
    const grantPaths = [...docs.keys()].filter((p) => p.includes('/members/') || p.includes('/portalGrants/') || p.includes('/patients/'));
    const second = new Map(seedDocuments().map((d) => [d.path, d.data]));
    for (const p of grantPaths) expect(second.get(p)).toEqual(docs.get(p));
  });
});
