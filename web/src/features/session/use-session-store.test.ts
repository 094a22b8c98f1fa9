import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { SessionMessage } from './session-bus';

// Firebase Auth, Firestore and the cache are replaced: these tests are about what the store does with them.
const fx = vi.hoisted(() => {
  type Listener = (u: unknown) => Promise<void>;
  const state: { listener?: Listener } = {};
  const calls: string[] = [];
  return {
    state,
    calls,
    posted: [] as SessionMessage[],
    clearLocalCache: vi.fn(async () => {
      calls.push('clearLocalCache');
    }),
    fbSignOut: vi.fn(async () => {
      calls.push('fbSignOut');
    }),
    signIn: vi.fn<() => Promise<{ user: { uid: string } }>>(),
  };
});

vi.mock('firebase/auth', () => ({
  onIdTokenChanged: (_auth: unknown, l: (u: unknown) => Promise<void>) => {
    fx.state.listener = l;
    return () => undefined;
  },
  signInWithEmailAndPassword: () => fx.signIn(),
  createUserWithEmailAndPassword: () => fx.signIn(),
  sendPasswordResetEmail: vi.fn(),
  signOut: () => fx.fbSignOut(),
  updateProfile: vi.fn(),
}));
vi.mock('../../plugins/firebase', () => ({ firebase: () => ({ auth: {} }) }));
vi.mock('../../data/users', () => ({ createProfile: vi.fn(), watchProfile: () => () => undefined }));
vi.mock('../../data/cache', () => ({ clearLocalCache: () => fx.clearLocalCache() }));
vi.mock('./session-bus', () => ({
  sessionBus: () => ({ post: (m: SessionMessage) => fx.posted.push(m), subscribe: () => () => undefined }),
}));

const { useSessionStore } = await import('./use-session-store');

const T0 = Date.UTC(2025, 2, 30, 9, 0);
const HOUR = 3_600_000;

/** A Firebase user as the listener sees it, signed in (by the server's clock) at `serverSignIn`. */
function fbUser(uid: string, serverSignIn: number, roles: string[] = []) {
  const when = new Date(serverSignIn).toUTCString();
  return {
    uid,
    metadata: { lastSignInTime: when },
    getIdTokenResult: async () => ({ authTime: when, claims: { roles } }),
  };
}

async function emit(u: unknown): Promise<void> {
  if (!fx.state.listener) throw new Error('store not started');
  await fx.state.listener(u);
}

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  fx.calls.length = 0;
  fx.posted.length = 0;
  fx.clearLocalCache.mockClear();
  fx.fbSignOut.mockClear();
  fx.signIn.mockReset();
  vi.useFakeTimers({ now: T0, toFake: ['Date'] });
});

describe('session store: sign-in time', () => {
  it("dates a sign-in made here by this browser's clock, even if the server clock is hours off", async () => {
    const session = useSessionStore();
    void session.start();
    const u = fbUser('u1', T0 + 5 * HOUR, ['staff']);
    fx.signIn.mockImplementationOnce(async () => {
      // Firebase tells the listener before signIn resolves.
      await emit(u);
      return { user: u };
    });
    await session.signIn('a@b.c', 'pw');
    expect(session.signedInAt).toBe(T0);
    expect(session.roles).toEqual(['staff']);
  });

  it('keeps the recorded time when the session is found open again (a reload or another tab)', async () => {
    const first = useSessionStore();
    void first.start();
    fx.signIn.mockResolvedValueOnce({ user: { uid: 'u1' } });
    await first.signIn('a@b.c', 'pw');
    vi.setSystemTime(T0 + 2 * HOUR);
    setActivePinia(createPinia());
    const reloaded = useSessionStore();
    void reloaded.start();
    await emit(fbUser('u1', T0 - 3 * HOUR));
    expect(reloaded.signedInAt).toBe(T0);
  });

  it("falls back to the server's sign-in time for a session it has no record of", async () => {
    const session = useSessionStore();
    void session.start();
    await emit(fbUser('u1', T0 - 3 * HOUR));
    expect(session.signedInAt).toBe(Math.floor((T0 - 3 * HOUR) / 1000) * 1000);
    await emit(null);
    expect(session.signedInAt).toBeNull();
  });
});

describe('session store: sign-out', () => {
  it('tells the other tabs, signs out of Firebase, then empties the local cache and forgets the marks', async () => {
    const session = useSessionStore();
    void session.start();
    fx.signIn.mockResolvedValueOnce({ user: { uid: 'u1' } });
    await session.signIn('a@b.c', 'pw');
    expect(localStorage.length).toBeGreaterThan(0);
    await session.signOut('idle');
    expect(fx.posted).toEqual([{ type: 'signed-out', reason: 'idle' }]);
    expect(fx.calls).toEqual(['fbSignOut', 'clearLocalCache']);
    expect(localStorage.length).toBe(0);
  });

  it('a manual sign-out is the default; following another tab does not echo it', async () => {
    const session = useSessionStore();
    await session.signOut();
    await session.signOut('absolute', { broadcast: false });
    expect(fx.posted).toEqual([{ type: 'signed-out', reason: 'manual' }]);
    expect(fx.clearLocalCache).toHaveBeenCalledTimes(2);
  });

  it('empties the cache even when the Firebase sign-out fails, and reports that failure', async () => {
    const session = useSessionStore();
    fx.fbSignOut.mockRejectedValueOnce(new Error('offline'));
    await expect(session.signOut()).rejects.toThrow('offline');
    expect(fx.clearLocalCache).toHaveBeenCalledOnce();
  });

  it('reports a failure to empty the cache, and the next sign-in still goes ahead once clearing is over', async () => {
    const session = useSessionStore();
    void session.start();
    fx.clearLocalCache.mockRejectedValueOnce(new Error('cache busy'));
    await expect(session.signOut()).rejects.toThrow('cache busy');
    fx.signIn.mockResolvedValueOnce({ user: { uid: 'u1' } });
    await expect(session.signIn('a@b.c', 'pw')).resolves.toBeUndefined();
  });

  it("a sign-in waits until the previous session's cache is cleared", async () => {
    const session = useSessionStore();
    let finishClearing: () => void = () => undefined;
    fx.clearLocalCache.mockImplementationOnce(() => new Promise<void>((resolve) => (finishClearing = resolve)));
    const signingOut = session.signOut();
    fx.signIn.mockResolvedValueOnce({ user: { uid: 'u2' } });
    const signingIn = session.signIn('a@b.c', 'pw');
    await Promise.resolve();
    await Promise.resolve();
    expect(fx.signIn).not.toHaveBeenCalled();
    finishClearing();
    await signingOut;
    await signingIn;
    expect(fx.signIn).toHaveBeenCalledOnce();
  });
});
