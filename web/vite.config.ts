import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';

export default defineConfig({
  plugins: [vue(), vuetify({ autoImport: true })],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  build: { target: 'es2022', sourcemap: true },
  // Lazily imported libraries are pre-bundled at start-up, so the dev server never discovers them mid-session and
  // reloads the page (a "504 Outdated Optimize Dep" in the middle of a journey).
  optimizeDeps: {
    include: [
      'leaflet',
      'leaflet.markercluster',
      'geofire-common',
      '@fullcalendar/core',
      '@fullcalendar/core/internal',
      '@fullcalendar/core/locales/es',
      '@fullcalendar/vue3',
      '@fullcalendar/daygrid',
      '@fullcalendar/timegrid',
      '@fullcalendar/list',
      'ical-generator',
    ],
  },
});
