/**
 * The session: who is signed in, their roles (from ID token claims), profile and sign-in time. Every sign-out goes
 * through here: it tells the other tabs and empties the local Firestore cache.
 */
import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  createUserWithEmailAndPassword,
  onIdTokenChanged,
  sendPasswordResetEmail,
  signInWithEmailAndPassword,
  signOut as fbSignOut,
  updateProfile,
  type User,
} from 'firebase/auth';
import type { Locale } from '@telesalud/domain';
import { firebase } from '../../plugins/firebase';
import { createProfile, watchProfile, type Profile } from '../../data/users';
import { clearLocalCache } from '../../data/cache';
import { homeArea } from './access';
import { sessionBus, type SignOutReason } from './session-bus';
import { sessionMarks } from './session-marks';

function epochMs(...utcStrings: (string | undefined)[]): number | undefined {
  return utcStrings.map((s) => (s ? Date.parse(s) : NaN)).find((ms) => Number.isFinite(ms));
}

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  const roles = ref<string[]>([]);
  const profile = ref<Profile | null>(null);
  const ready = ref(false);
  /** Epoch ms (this browser's clock) of the sign-in; the absolute session limit counts from it. */
  const signedInAt = ref<number | null>(null);
  const marks = sessionMarks();
  let stopProfile: (() => void) | undefined;
  let lastSync = 0;
  let authChanges = 0;
  // Set while signIn/signUp runs, so the auth listener can date the new session before they return.
  let signingInAt: number | undefined;
  // Settles when the last cache clearing is over; the next session's Firestore must not start before that.
  let cacheCleared: Promise<void> = Promise.resolve();
  let resolveReady: () => void = () => {};
  const whenReady = new Promise<void>((r) => (resolveReady = r));

  const signedIn = computed(() => user.value !== null);
  const displayName = computed(() => profile.value?.displayName ?? user.value?.displayName ?? user.value?.email ?? '');
  const home = computed(() => homeArea(roles.value));

  /** Starts following Firebase Auth; resolves once the first auth state is known. */
  function start(): Promise<void> {
    onIdTokenChanged(firebase().auth, async (u) => {
      const change = ++authChanges;
      user.value = u;
      if (u) {
        const token = await u.getIdTokenResult();
        await cacheCleared;
        // Another change (a sign-out, say) arrived while this one was waiting: that one wins.
        if (change !== authChanges) return;
        const claimed = token.claims.roles;
        roles.value = Array.isArray(claimed) ? claimed.filter((r): r is string => typeof r === 'string') : [];
        signedInAt.value = sessionStart(u.uid, token.authTime, u.metadata.lastSignInTime);
        follow(u.uid);
      } else {
        roles.value = [];
        signedInAt.value = null;
        profile.value = null;
        stopProfile?.();
        stopProfile = undefined;
      }
      ready.value = true;
      resolveReady();
    });
    return whenReady;
  }

  /**
   * The sign-in time of the current session. A sign-in made here is dated by this browser's clock, which is the
   * one the limits are checked against; a session found already open (a reload, another tab) keeps its recorded
   * time; only a session with no record falls back to Firebase's server-side sign-in time.
   */
  function sessionStart(uid: string, authTime: string, lastSignInTime: string | undefined): number {
    const known = marks.signedInAt(uid);
    if (known !== null) return known;
    const at = signingInAt ?? epochMs(authTime, lastSignInTime) ?? Date.now();
    marks.setSignedInAt(uid, at);
    return at;
  }

  /** Runs a Firebase sign-in (or sign-up) as a fresh session dated now. */
  async function freshSession<T extends { user: User }>(signInWith: () => Promise<T>): Promise<T> {
    await cacheCleared;
    const at = Date.now();
    marks.clear();
    signingInAt = at;
    try {
      const cred = await signInWith();
      // The auth listener may still be awaiting the token after `signingInAt` is reset below: leave it the record.
      marks.setSignedInAt(cred.user.uid, at);
      return cred;
    } finally {
      signingInAt = undefined;
    }
  }

  function follow(uid: string): void {
    if (stopProfile) return;
    stopProfile = watchProfile(
      uid,
      (p) => {
        profile.value = p;
        // Functions mark the profile when they change claims: refresh the token to pick them up.
        const synced = p?.claimsSyncedAt?.getTime() ?? 0;
        if (synced > lastSync && user.value) {
          lastSync = synced;
          void user.value.getIdToken(true);
        }
      },
      (e) => console.error('profile listener failed', e),
    );
  }

  async function signIn(email: string, password: string): Promise<void> {
    await freshSession(() => signInWithEmailAndPassword(firebase().auth, email, password));
  }

  async function signUp(input: { displayName: string; email: string; password: string; phone?: string; locale: Locale }): Promise<void> {
    const cred = await freshSession(() => createUserWithEmailAndPassword(firebase().auth, input.email, input.password));
    await updateProfile(cred.user, { displayName: input.displayName });
    await createProfile(cred.user.uid, {
      displayName: input.displayName,
      email: input.email,
      locale: input.locale,
      ...(input.phone ? { phone: input.phone } : {}),
    });
  }

  async function resetPassword(email: string): Promise<void> {
    await sendPasswordResetEmail(firebase().auth, email);
  }

  /**
   * Ends the session in this tab and, unless told otherwise, in the other tabs; then empties the local Firestore
   * cache. Safe to call when already signed out (it still clears the cache).
   * @param reason - why: by the person (default) or by an automatic limit; the other tabs show it
   * @param options - `broadcast: false` when following another tab's sign-out
   * @returns a promise that rejects if the cache could not be emptied (the Auth sign-out has happened by then)
   */
  async function signOut(reason: SignOutReason = 'manual', options: { broadcast?: boolean } = {}): Promise<void> {
    stopProfile?.();
    stopProfile = undefined;
    marks.clear();
    // Told first, so the other tabs terminate their Firestore instances while this one does the same.
    if (options.broadcast ?? true) sessionBus().post({ type: 'signed-out', reason });
    const ending = endSession();
    // The next session only needs to know that this one is over; a failure is reported by the await below.
    cacheCleared = ending.then(
      () => undefined,
      () => undefined,
    );
    await ending;
  }

  async function endSession(): Promise<void> {
    try {
      await fbSignOut(firebase().auth);
    } finally {
      await clearLocalCache();
    }
  }

  return {
    user,
    roles,
    profile,
    ready,
    signedIn,
    signedInAt,
    displayName,
    home,
    start,
    whenReady: () => whenReady,
    signIn,
    signUp,
    resetPassword,
    signOut,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot));
