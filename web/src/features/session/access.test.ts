import { describe, expect, it } from 'vitest';
import { access, homeArea } from './access';
import { authErrorKey } from './auth-errors';

describe('access', () => {
  it.each([
    ['patient', false, [], 'sign-in'],
    ['patient', true, [], 'ok'],
    ['patient', true, ['specialist'], 'ok'],
    ['specialist', true, ['patient'], 'forbidden'],
    ['specialist', true, ['specialist', 'patient'], 'ok'],
    ['staff', true, ['specialist'], 'forbidden'],
    ['staff', true, ['staff'], 'ok'],
    ['staff', false, ['staff'], 'sign-in'],
  ] as const)('%s area, signed in %s, roles %j → %s', (area, signedIn, roles, want) => {
    expect(access(area, { signedIn, roles })).toBe(want);
  });

  it('sends each role home', () => {
    expect(homeArea([])).toBe('patient');
    expect(homeArea(['patient', 'specialist'])).toBe('specialist');
    expect(homeArea(['specialist', 'staff'])).toBe('staff');
  });

  it('maps auth errors to messages, unknown ones to a generic message', () => {
    expect(authErrorKey({ code: 'auth/invalid-credential' })).toBe('auth.errors.invalidCredential');
    expect(authErrorKey({ code: 'auth/something-new' })).toBe('auth.errors.generic');
    expect(authErrorKey('boom')).toBe('auth.errors.generic');
  });
});
