/** One design system: a clinical palette, Spanish and English component strings, sensible defaults. */
import '@mdi/font/css/materialdesignicons.css';
import 'vuetify/styles';
import { createVuetify } from 'vuetify';
import { es, en } from 'vuetify/locale';

export function installVuetify(locale: 'es' | 'en') {
  return createVuetify({
    locale: { locale, fallback: 'es', messages: { es, en } },
    theme: {
      defaultTheme: 'clinic',
      themes: {
        clinic: {
          dark: false,
          colors: { primary: '#00695c', secondary: '#37474f', accent: '#0288d1', error: '#c62828', warning: '#ef6c00', success: '#2e7d32', background: '#f6f8f8' },
        },
      },
    },
    defaults: {
      VTextField: { variant: 'outlined', density: 'comfortable', color: 'primary' },
      VBtn: { rounded: 'lg' },
      VCard: { rounded: 'lg' },
    },
  });
}
