import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { useIdleSignOut, type IdleSignOut } from './use-idle-sign-out';
import { useNoticeStore } from './use-notice-store';
import { createSessionMarks, memoryStorage, type SessionMarks } from './session-marks';
import type { SessionBus, SessionMessage } from './session-bus';

// The session store talks to Firebase; the composable only needs these four members of it.
const fake = await vi.hoisted(async () => {
  const { computed, reactive, ref } = await import('vue');
  const uid = ref<string | null>(null);
  const roles = ref<string[]>([]);
  const signedInAt = ref<number | null>(null);
  const signOut = vi.fn(async (_reason?: string, _options?: { broadcast?: boolean }) => {
    uid.value = null;
    roles.value = [];
    signedInAt.value = null;
  });
  const store = reactive({ signedIn: computed(() => uid.value !== null), roles, signedInAt, signOut });
  return { uid, roles, signedInAt, signOut, store };
});
vi.mock('./use-session-store', () => ({ useSessionStore: () => fake.store }));

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 2, 30, 9, 0);

/** Tabs of one browser: what one posts, the others hear. */
function memoryHub() {
  const tabs = new Set<(m: SessionMessage) => void>();
  return (): SessionBus => {
    const mine = new Set<(m: SessionMessage) => void>();
    return {
      post: (m) => tabs.forEach((l) => !mine.has(l) && l(m)),
      subscribe(listener) {
        mine.add(listener);
        tabs.add(listener);
        return () => {
          mine.delete(listener);
          tabs.delete(listener);
        };
      },
    };
  };
}

const Blank = { render: () => null };

let pinia: Pinia;
let router: Router;
let marks: SessionMarks;
let otherTab: SessionBus;
let wrapper: VueWrapper | undefined;

async function start(opts: {
  roles: string[];
  signedInAt?: number;
  signedIn?: boolean;
  at?: string;
}): Promise<IdleSignOut> {
  fake.uid.value = opts.signedIn === false ? null : 'u1';
  fake.roles.value = opts.roles;
  fake.signedInAt.value = opts.signedIn === false ? null : (opts.signedInAt ?? Date.now());
  await router.push(opts.at ?? '/clinica');
  const hub = memoryHub();
  otherTab = hub();
  const thisTab = hub();
  let api: IdleSignOut | undefined;
  const Harness = defineComponent({
    setup() {
      api = useIdleSignOut({ bus: thisTab, marks });
      return () => h('div');
    },
  });
  wrapper = mount(Harness, { global: { plugins: [pinia, router] } });
  await settle();
  if (!api) throw new Error('harness did not run setup');
  return api;
}

/** Lets the sign-out and navigation promises run (they need no timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await vi.advanceTimersByTimeAsync(0);
}

/** Moves the clock on, firing the once-a-second checks on the way. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}

beforeEach(async () => {
  vi.useFakeTimers({ now: T0 });
  pinia = createPinia();
  setActivePinia(pinia);
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'landing', component: Blank },
      { path: '/ingresar', name: 'sign-in', component: Blank },
      { path: '/paciente', name: 'patient', component: Blank, meta: { area: 'patient' } },
      { path: '/clinica', name: 'staff', component: Blank, meta: { area: 'staff' } },
    ],
  });
  marks = createSessionMarks(memoryStorage());
  fake.signOut.mockClear();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('useIdleSignOut', () => {
  it('staff: warns at 14 minutes without activity, signs out at 15 and lands on sign-in with the reason', async () => {
    const idle = await start({ roles: ['staff'] });
    await advance(14 * MIN - SEC);
    expect(idle.warning.value).toBe(false);
    await advance(SEC);
    expect(idle.warning.value).toBe(true);
    expect(idle.reason.value).toBe('idle');
    expect(idle.secondsLeft.value).toBe(60);
    await advance(59 * SEC);
    expect(idle.secondsLeft.value).toBe(1);
    expect(fake.signOut).not.toHaveBeenCalled();
    await advance(SEC);
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('idle', { broadcast: true });
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query).toEqual({});
    expect(useNoticeStore().key).toBe('session.ended.idle');
    expect(idle.warning.value).toBe(false);
  });

  it.each([
    [['patient'], 30],
    [[], 30],
    [['specialist'], 15],
    [['patient', 'staff'], 15],
    [['admin'], 15],
  ])('roles %j are signed out after %d idle minutes', async (roles, minutes) => {
    await start({ roles, at: '/paciente' });
    await advance(minutes * MIN - SEC);
    expect(fake.signOut).not.toHaveBeenCalled();
    await advance(SEC);
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('idle', { broadcast: true });
  });

  it.each([
    ['pointerdown on the page', () => document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))],
    ['pointermove', () => document.body.dispatchEvent(new PointerEvent('pointermove', { bubbles: true }))],
    ['a key', () => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }))],
    ['a touch', () => document.body.dispatchEvent(new Event('touchstart', { bubbles: true }))],
    ['the wheel', () => document.body.dispatchEvent(new WheelEvent('wheel', { bubbles: true }))],
    [
      'scrolling an inner box (scroll does not bubble)',
      () => document.body.appendChild(document.createElement('div')).dispatchEvent(new Event('scroll')),
    ],
    ['coming back to the tab', () => document.dispatchEvent(new Event('visibilitychange'))],
  ])('%s counts as activity and restarts the idle clock', async (_name, act) => {
    const idle = await start({ roles: ['staff'] });
    await advance(10 * MIN);
    act();
    expect(marks.lastActivity()).toBe(T0 + 10 * MIN);
    await advance(14 * MIN - SEC);
    expect(idle.warning.value).toBe(false);
    await advance(SEC);
    expect(idle.warning.value).toBe(true);
    await advance(MIN);
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('idle', { broadcast: true });
  });

  it('activity in another tab of the browser keeps this tab alive, and closes its warning', async () => {
    const idle = await start({ roles: ['staff'] });
    await advance(10 * MIN);
    marks.setLastActivity(Date.now());
    await advance(14 * MIN);
    expect(idle.warning.value).toBe(true);
    marks.setLastActivity(Date.now());
    await advance(SEC);
    expect(idle.warning.value).toBe(false);
    expect(fake.signOut).not.toHaveBeenCalled();
  });

  it('writes pointer moves to the shared mark at most every few seconds, but counts each one here', async () => {
    await start({ roles: ['staff'] });
    const move = () => window.dispatchEvent(new PointerEvent('pointermove'));
    move();
    await advance(SEC);
    move();
    expect(marks.lastActivity()).toBe(T0);
    await advance(5 * SEC);
    move();
    expect(marks.lastActivity()).toBe(T0 + 6 * SEC);
  });

  it('while the warning is up, a stray move does not count; "Stay signed in" does, for every tab', async () => {
    const idle = await start({ roles: ['staff'] });
    await advance(14 * MIN + 10 * SEC);
    window.dispatchEvent(new PointerEvent('pointermove'));
    await advance(SEC);
    expect(idle.warning.value).toBe(true);
    idle.staySignedIn();
    expect(idle.warning.value).toBe(false);
    expect(marks.lastActivity()).toBe(Date.now());
    await advance(14 * MIN);
    expect(idle.warning.value).toBe(true);
    expect(fake.signOut).not.toHaveBeenCalled();
  });

  it('coming back to a tab whose checks were held back does not revive an expired session', async () => {
    await start({ roles: ['staff'] });
    // Background tabs' timers are throttled: the clock moves on without any check having run.
    vi.setSystemTime(T0 + 40 * MIN);
    document.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('idle', { broadcast: true });
    expect(marks.lastActivity()).toBeNull();
  });

  it('absolute limit: an active patient is warned at 11:59 and signed out at 12:00; staying does not extend it', async () => {
    const idle = await start({ roles: ['patient'], at: '/paciente' });
    for (let i = 0; i < 71; i++) {
      await advance(10 * MIN);
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab' }));
    }
    await advance(9 * MIN);
    expect(idle.warning.value).toBe(true);
    expect(idle.reason.value).toBe('absolute');
    idle.staySignedIn();
    expect(idle.warning.value).toBe(true);
    idle.dismiss();
    expect(idle.warning.value).toBe(false);
    expect(fake.signOut).not.toHaveBeenCalled();
    await advance(MIN);
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('absolute', { broadcast: true });
    expect(useNoticeStore().key).toBe('session.ended.absolute');
    expect(router.currentRoute.value.name).toBe('sign-in');
  });

  it('a reload more than 12 hours after sign-in ends the session straight away', async () => {
    // Last active at 11:50 of the session, back at 13:00: the absolute limit came before the idle one.
    marks.setLastActivity(T0 - 70 * MIN);
    await start({ roles: ['patient'], signedInAt: T0 - 13 * HOUR, at: '/paciente' });
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('absolute', { broadcast: true });
    expect(router.currentRoute.value.name).toBe('sign-in');
  });

  it('a reload after the idle limit (activity mark still in storage) ends the session straight away', async () => {
    marks.setLastActivity(T0 - 20 * MIN);
    await start({ roles: ['staff'], signedInAt: T0 - HOUR });
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('idle', { broadcast: true });
  });

  it('a reload within the limit keeps counting from the stored activity', async () => {
    marks.setLastActivity(T0 - 10 * MIN);
    const idle = await start({ roles: ['staff'], signedInAt: T0 - HOUR });
    await advance(4 * MIN);
    expect(idle.warning.value).toBe(true);
  });

  it.each([
    ['idle', 'session.ended.idle'],
    ['absolute', 'session.ended.absolute'],
    ['manual', 'session.ended.elsewhere'],
  ] as const)('a %s sign-out in another tab signs this tab out too, without echoing it', async (reason, noticeKey) => {
    await start({ roles: ['staff'] });
    otherTab.post({ type: 'signed-out', reason });
    await settle();
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith(reason, { broadcast: false });
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(useNoticeStore().key).toBe(noticeKey);
  });

  it('a sign-out in another tab after Firebase already signed this tab out still leaves the area page', async () => {
    await start({ roles: ['staff'] });
    fake.uid.value = null;
    fake.signedInAt.value = null;
    await settle();
    otherTab.post({ type: 'signed-out', reason: 'idle' });
    await settle();
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(useNoticeStore().key).toBe('session.ended.idle');
  });

  it('a tab showing no session only empties its cache when another tab signs out', async () => {
    await start({ roles: [], signedIn: false, at: '/' });
    otherTab.post({ type: 'signed-out', reason: 'manual' });
    await settle();
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('manual', { broadcast: false });
    expect(router.currentRoute.value.name).toBe('landing');
    expect(useNoticeStore().visible).toBe(false);
  });

  it('"Sign out" in the warning is an ordinary sign-out', async () => {
    const idle = await start({ roles: ['staff'] });
    await advance(14 * MIN);
    await idle.signOutNow();
    await settle();
    expect(fake.signOut).toHaveBeenCalledExactlyOnceWith('manual');
    expect(router.currentRoute.value.name).toBe('landing');
    expect(useNoticeStore().visible).toBe(false);
  });

  it('if emptying the cache fails, it still lands on sign-in, says something went wrong and logs it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    fake.signOut.mockImplementationOnce(async () => {
      fake.uid.value = null;
      fake.signedInAt.value = null;
      throw new Error('cache busy');
    });
    await start({ roles: ['staff'] });
    await advance(15 * MIN);
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(useNoticeStore().key).toBe('errors.unexpected');
    expect(log).toHaveBeenCalledOnce();
  });

  it('holds no timer while signed out, and stops listening when unmounted', async () => {
    const idle = await start({ roles: ['staff'] });
    expect(vi.getTimerCount()).toBe(1);
    fake.uid.value = null;
    fake.signedInAt.value = null;
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    expect(idle.verdict.value).toBeNull();
    fake.uid.value = 'u1';
    fake.signedInAt.value = Date.now();
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    wrapper?.unmount();
    wrapper = undefined;
    expect(vi.getTimerCount()).toBe(0);
    otherTab.post({ type: 'signed-out', reason: 'idle' });
    await settle();
    expect(fake.signOut).not.toHaveBeenCalled();
  });
});
