import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { defineComponent, h } from 'vue';
import { VApp } from 'vuetify/components';
import { createMemoryHistory, createRouter } from 'vue-router';
import { installI18n } from '../../plugins/i18n';
import { installVuetify } from '../../plugins/vuetify';
import IdleWarningDialog from './IdleWarningDialog.vue';

const fake = await vi.hoisted(async () => {
  const { computed, reactive, ref } = await import('vue');
  const signedInAt = ref<number | null>(null);
  const signOut = vi.fn(async () => {
    signedInAt.value = null;
  });
  const store = reactive({
    signedIn: computed(() => signedInAt.value !== null),
    roles: ['staff'],
    signedInAt,
    signOut,
  });
  return { signedInAt, signOut, store };
});
vi.mock('./use-session-store', () => ({ useSessionStore: () => fake.store }));

const MIN = 60_000;
let wrapper: VueWrapper | undefined;

async function mountDialog(locale: 'es' | 'en'): Promise<void> {
  const Blank = { render: () => null };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'landing', component: Blank },
      { path: '/ingresar', name: 'sign-in', component: Blank },
    ],
  });
  await router.push('/');
  // v-dialog needs a v-app around it, as in App.vue.
  const Shell = defineComponent({ render: () => h(VApp, () => h(IdleWarningDialog)) });
  wrapper = mount(Shell, {
    attachTo: document.body,
    global: { plugins: [createPinia(), router, installI18n(locale), installVuetify(locale)] },
  });
}

function dialogText(): string {
  return document.querySelector('[data-test="idle-warning-text"]')?.textContent?.trim() ?? '';
}

beforeEach(() => {
  // happy-dom has no visualViewport, which Vuetify's overlays read as a bare global.
  vi.stubGlobal('visualViewport', undefined);
  // The composable keeps its marks in localStorage, which outlives a test.
  localStorage.clear();
  vi.useFakeTimers({ now: Date.UTC(2025, 2, 30, 9, 0) });
  fake.signedInAt.value = Date.now();
  fake.signOut.mockClear();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('IdleWarningDialog', () => {
  it('opens a minute before the idle sign-out with a countdown; "Seguir conectado" closes it', async () => {
    await mountDialog('es');
    await vi.advanceTimersByTimeAsync(13 * MIN);
    expect(document.querySelector('[data-test="idle-stay"]')).toBeNull();
    await vi.advanceTimersByTimeAsync(MIN + 1000);
    expect(dialogText()).toBe('Por seguridad, tu sesión se cerrará por inactividad en 59 segundos.');
    const stay = document.querySelector<HTMLElement>('[data-test="idle-stay"]');
    expect(stay?.textContent?.trim()).toBe('Seguir conectado');
    stay?.click();
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.querySelector('[data-test="idle-warning-text"]')?.checkVisibility() ?? false).toBe(false);
    expect(fake.signOut).not.toHaveBeenCalled();
  });

  it('speaks English too, and says "1 second" in the last second', async () => {
    await mountDialog('en');
    await vi.advanceTimersByTimeAsync(15 * MIN - 1000);
    expect(dialogText()).toBe('For your security, you will be signed out for inactivity in 1 second.');
    expect(document.querySelector('[data-test="idle-stay"]')?.textContent?.trim()).toBe('Stay signed in');
  });
});
