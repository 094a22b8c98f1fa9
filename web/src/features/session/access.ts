/** Which area a session may open. Pure, so the guard's decisions are unit-tested. */
export type Area = 'patient' | 'specialist' | 'staff';
export type Access = 'ok' | 'sign-in' | 'forbidden';

export interface SessionView {
  signedIn: boolean;
  roles: readonly string[];
}

/**
 * Every signed-in account may use the patient area (a specialist can also be a patient); the specialist and
 * clinic areas need the role in the ID token's claims, which only Cloud Functions set.
 */
export function access(area: Area, s: SessionView): Access {
  if (!s.signedIn) return 'sign-in';
  if (area === 'patient') return 'ok';
  return s.roles.includes(area) ? 'ok' : 'forbidden';
}

/** The area a user lands in after signing in. */
export function homeArea(roles: readonly string[]): Area {
  if (roles.includes('staff')) return 'staff';
  if (roles.includes('specialist')) return 'specialist';
  return 'patient';
}
