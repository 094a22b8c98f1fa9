/** Specialty labels come from the domain catalogue (one place), in the UI language. */
import { SPECIALTIES, SPECIALTY_CODES, type SpecialtyCode } from '@telesalud/domain';
import type { AppLocale } from '../../plugins/i18n';

/** The label of a specialty in a UI language. */
export function specialtyLabel(code: SpecialtyCode, locale: string): string {
  const l: AppLocale = locale === 'en' ? 'en' : 'es';
  return SPECIALTIES[code][l];
}

/** Every specialty as select items, sorted by label. */
export function specialtyItems(locale: string): { value: SpecialtyCode; title: string }[] {
  return SPECIALTY_CODES.map((value) => ({ value, title: specialtyLabel(value, locale) })).sort((a, b) => a.title.localeCompare(b.title, locale));
}
