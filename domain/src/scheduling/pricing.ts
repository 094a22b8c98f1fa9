/**
 * The price of a visit. The site (portal) the patient books through decides it: each office lists one price per site,
 * and a site without its own price cannot book that office. There is deliberately no fallback to another site's
 * price or to a "default" one, since that would let a portal sell at a price nobody set for it.
 */
import { type Money } from '../model/common';

export interface SitePrice {
  siteId: string;
  price: Money;
}

/**
 * Looks up the price for a site.
 * @param input - the office's prices and the site the booking comes from
 * @returns a copy of the site's price, or null when that site has none
 * @throws RangeError when the site is listed twice with different prices (ambiguous data must not pick a price)
 */
export function priceFor(input: { prices: readonly SitePrice[]; siteId: string }): Money | null {
  const matches = input.prices.filter((p) => p.siteId === input.siteId);
  const [first, ...rest] = matches;
  if (!first) return null;
  if (rest.some((p) => p.price.amount !== first.price.amount || p.price.currency !== first.price.currency)) {
    throw new RangeError(`Site ${input.siteId} has ${matches.length} different prices`);
  }
  // A copy, so a caller adjusting the amount (discounts, fees) cannot change the office it came from.
  return { amount: first.price.amount, currency: first.price.currency };
}
