import { describe, expect, it } from 'vitest';
import { geohash } from '../../domain/src';
import { validateWorld, world, DEMO_LOGINS } from '../../scripts/seed';

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
