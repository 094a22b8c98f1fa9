import { describe, expect, it } from 'vitest';
import { priceFor, type SitePrice } from './pricing';

const prices: SitePrice[] = [
  { siteId: 'portal-clinica', price: { amount: 3_500_000, currency: 'CLP' } },
  { siteId: 'marketplace', price: { amount: 4_000_000, currency: 'CLP' } },
  { siteId: 'usd-site', price: { amount: 4_500, currency: 'USD' } },
];

describe('priceFor', () => {
  it.each([
    ['portal-clinica', { amount: 3_500_000, currency: 'CLP' }],
    ['marketplace', { amount: 4_000_000, currency: 'CLP' }],
    ['usd-site', { amount: 4_500, currency: 'USD' }],
    // No fallback to another site's price.
    ['other-portal', null],
    ['', null],
    // Site ids are exact: no case folding, no prefix match.
    ['Marketplace', null],
    ['portal', null],
  ])('site %j → %j', (siteId, want) => {
    expect(priceFor({ prices, siteId })).toEqual(want);
  });

  it('returns null for an office without prices, even with a single other site listed', () => {
    expect(priceFor({ prices: [], siteId: 'marketplace' })).toBeNull();
    expect(priceFor({ prices: [{ siteId: 'a', price: { amount: 1, currency: 'MXN' } }], siteId: 'b' })).toBeNull();
  });

  it('returns a copy the caller cannot use to change the office', () => {
    const found = priceFor({ prices, siteId: 'marketplace' });
    expect(found).not.toBe(prices[1]?.price);
    if (found) found.amount = 1;
    expect(prices[1]?.price.amount).toBe(4_000_000);
  });

  it('accepts a site listed twice with the same price', () => {
    const dup = [...prices, { siteId: 'marketplace', price: { amount: 4_000_000, currency: 'CLP' } }];
    expect(priceFor({ prices: dup, siteId: 'marketplace' })).toEqual({ amount: 4_000_000, currency: 'CLP' });
  });

  it.each([
    ['amount', { amount: 4_100_000, currency: 'CLP' }],
    ['currency', { amount: 4_000_000, currency: 'COP' }],
  ])('refuses to guess when a site is listed twice with a different %s', (_what, price) => {
    expect(() => priceFor({ prices: [...prices, { siteId: 'marketplace', price }], siteId: 'marketplace' })).toThrow(
      RangeError,
    );
  });
});
