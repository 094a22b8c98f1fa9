import { describe, expect, it } from 'vitest';
import { officeSchema, specialistSchema, userProfileSchema } from '../index';

const ts = { seconds: 1, nanoseconds: 0, toDate: () => new Date(1000) };
const profile = { displayName: 'Ana', email: 'ana@example.com', locale: 'es', requestedRole: 'patient', createdAt: ts };

describe('userProfileSchema', () => {
  it('accepts a valid profile', () => {
    expect(userProfileSchema.safeParse(profile).success).toBe(true);
  });
  it.each([
    ['an extra key', { ...profile, roles: ['admin'] }],
    ['a missing name', { ...profile, displayName: undefined }],
    ['an over-long name', { ...profile, displayName: 'x'.repeat(121) }],
    ['a wrong locale', { ...profile, locale: 'fr' }],
    ['a self-granted admin role', { ...profile, requestedRole: 'admin' }],
    ['a string timestamp', { ...profile, createdAt: '2026-01-01' }],
    ['an unknown time zone', { ...profile, timeZone: 'Mars/Olympus' }],
  ])('rejects %s', (_why, value) => {
    expect(userProfileSchema.safeParse(value).success).toBe(false);
  });
});

describe('specialist and office schemas', () => {
  it('rejects an unknown specialty and a negative price', () => {
    expect(specialistSchema.shape.specialties.safeParse(['astrologia']).success).toBe(false);
    expect(officeSchema.shape.prices.safeParse([{ siteId: 'a', price: { amount: -1, currency: 'EUR' } }]).success).toBe(false);
    expect(officeSchema.shape.prices.safeParse([{ siteId: 'a', price: { amount: 1.5, currency: 'EUR' } }]).success).toBe(false);
  });
});
