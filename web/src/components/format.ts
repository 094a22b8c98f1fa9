/** Formatting shared by the slices: money in minor units, instants in a named zone. Pure (Intl only). */
import type { Money } from '@telesalud/domain';

/** Minor units per major unit: CLP is kept in pesos (domain Money), every other currency in cents. */
export function minorFactor(currency: string): number {
  return currency === 'CLP' ? 1 : 100;
}

/** "$ 180.000" / "€80.00"-style text of an amount in minor units. */
export function formatMoney(m: Money, locale: string): string {
  const factor = minorFactor(m.currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency, maximumFractionDigits: factor === 1 ? 0 : 2, minimumFractionDigits: 0 }).format(
    m.amount / factor,
  );
}

/**
 * An instant's wall time in a zone, in the UI language.
 * @param instant - the instant
 * @param timeZone - IANA zone
 * @param locale - 'es' | 'en'
 * @param style - 'time' (09:30), 'date' (lun, 12 ene) or 'full' (both)
 */
export function formatInZone(instant: Date, timeZone: string, locale: string, style: 'time' | 'date' | 'full'): string {
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const date: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
  const opts = style === 'time' ? time : style === 'date' ? date : { ...date, ...time };
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(instant);
}

/** A zone's short name for people: the city part of the IANA name ("America/Bogota" → "Bogota"). */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}
