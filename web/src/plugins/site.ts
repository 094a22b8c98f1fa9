/** The portal this build serves: prices are per site (office.prices[].siteId). The seed's site is 'telesalud'. */
export const DEFAULT_SITE_ID = 'telesalud';

/** The site id from VITE_SITE_ID, or the seeded one. */
export function siteId(): string {
  return import.meta.env.VITE_SITE_ID ?? DEFAULT_SITE_ID;
}

/** The browser's IANA time zone (the patient's), never a hard-coded one. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
