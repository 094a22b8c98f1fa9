import { describe, expect, it } from 'vitest';
import type { Role } from '@telesalud/domain';
import type { ActiveMembership } from '../repositories/grants';
import { deriveClaims, rolesIn } from './sync-claims';

const member = (clinicId: string, role: 'staff' | 'specialist'): ActiveMembership => ({ clinicId, member: { role, displayName: 'X', active: true } });

describe('deriveClaims', () => {
  it.each<[string, Role[], ActiveMembership[], boolean, Role[], ReturnType<typeof deriveClaims>]>([
    ['a patient stays a patient', ['patient'], [], false, [], { roles: ['patient'] }],
    ['an admin stays an admin', ['admin'], [], false, [], { roles: ['admin'] }],
    ['staff comes from an active staff membership', ['patient'], [member('b', 'staff')], false, [], { roles: ['patient', 'staff'], clinicIds: ['b'] }],
    ['a staff claim without a membership goes', ['staff', 'patient'], [], false, [], { roles: ['patient'] }],
    ['specialist follows approval, not the claim', ['specialist'], [], false, [], null],
    ['an approved specialist gets the role', [], [], true, [], { roles: ['specialist'] }],
    ['a specialist membership adds its clinic, not the staff role', [], [member('a', 'specialist')], true, [], { roles: ['specialist'], clinicIds: ['a'] }],
    ['clinicIds are sorted and unique', [], [member('z', 'staff'), member('a', 'specialist')], true, [], { roles: ['specialist', 'staff'], clinicIds: ['a', 'z'] }],
    ['portal access ensures patient', [], [], false, ['patient'], { roles: ['patient'] }],
    ['no role at all clears the claims', [], [], false, [], null],
  ])('%s', (_name, current, memberships, approved, ensure, expected) => {
    expect(deriveClaims(current, memberships, approved, ensure)).toEqual(expected);
  });

  it('refuses more than 10 clinics (customClaimsSchema), so a grant must be refused beforehand', () => {
    const many = Array.from({ length: 11 }, (_, i) => member(`c${i}`, 'staff'));
    expect(() => deriveClaims([], many, false)).toThrow();
  });
});

describe('rolesIn', () => {
  it('keeps known roles only, in canonical order', () => {
    expect(rolesIn({ roles: ['staff', 'root', 'patient', 3] })).toEqual(['patient', 'staff']);
    expect(rolesIn({ roles: 'admin' })).toEqual([]);
    expect(rolesIn(undefined)).toEqual([]);
  });
});
