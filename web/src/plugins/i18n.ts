/** vue-i18n with Spanish first: the saved choice, else the browser's language, else Spanish. */
import { createI18n } from 'vue-i18n';
import es from '../locales/es.json';
import en from '../locales/en.json';

export type AppLocale = 'es' | 'en';
const KEY = 'telesalud.locale';

export function initialLocale(): AppLocale {
  const saved = localStorage.getItem(KEY);
  if (saved === 'es' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'es';
}

export function saveLocale(l: AppLocale): void {
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
}

export function installI18n(locale: AppLocale) {
  return createI18n({ legacy: false, locale, fallbackLocale: 'es', messages: { es, en } });
}
