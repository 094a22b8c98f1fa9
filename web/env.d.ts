/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_FIREBASE_PROJECT_ID?: string;
  readonly VITE_FIREBASE_API_KEY?: string;
  readonly VITE_FIRESTORE_EMULATOR_HOST?: string;
  readonly VITE_STORAGE_EMULATOR_HOST?: string;
  readonly VITE_STORAGE_BUCKET?: string;
  readonly VITE_AUTH_EMULATOR_HOST?: string;
  readonly VITE_FUNCTIONS_EMULATOR_HOST?: string;
  /** Map tiles, e.g. 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'; unset → a plain background. */
  readonly VITE_MAP_TILE_URL?: string;
  readonly VITE_MAP_TILE_ATTRIBUTION?: string;
  /** The portal's site id for prices; 'telesalud' (the seeded one) by default. */
  readonly VITE_SITE_ID?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
