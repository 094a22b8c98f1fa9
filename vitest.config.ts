import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';

/**
 * One Vitest run, one project per suite. Time-dependent code is tested in UTC by default; scripts/test.ts runs
 * the domain suite a second time in a non-UTC zone (TZ is read by each worker at start).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'domain', include: ['domain/src/**/*.test.ts'] },
      },
      {
        test: {
          name: 'emulator',
          include: ['emulator/src/**/*.test.ts', 'emulator/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: { name: 'functions', include: ['functions/src/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        test: { name: 'scripts', include: ['tests/seed/**/*.test.ts', 'tests/stack/**/*.test.ts'], testTimeout: 180_000 },
      },
      {
        plugins: [vue(), vuetify({ autoImport: true })],
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts'],
          environment: 'happy-dom',
          server: { deps: { inline: ['vuetify'] } },
        },
      },
      {
        test: { name: 'rules', include: ['tests/rules/**/*.test.ts'], testTimeout: 60_000, fileParallelism: false },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
