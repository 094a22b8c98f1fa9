/** The session: who is signed in, their roles (from ID token claims) and profile. */
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
import { homeArea } from './access';

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  const roles = ref<string[]>([]);
  const profile = ref<Profile | null>(null);
  const ready = ref(false);
  let stopProfile: (() => void) | undefined;
  let lastSync = 0;
  let resolveReady: () => void = () => {};
  const whenReady = new Promise<void>((r) => (resolveReady = r));

  const signedIn = computed(() => user.value !== null);
  const displayName = computed(() => profile.value?.displayName ?? user.value?.displayName ?? user.value?.email ?? '');
  const home = computed(() => homeArea(roles.value));

  /** Starts following Firebase Auth; resolves once the first auth state is known. */
  function start(): Promise<void> {
    onIdTokenChanged(firebase().auth, async (u) => {
      user.value = u;
      if (u) {
        const token = await u.getIdTokenResult();
        const claimed = token.claims.roles;
        roles.value = Array.isArray(claimed) ? claimed.filter((r): r is string => typeof r === 'string') : [];
        follow(u.uid);
      } else {
        roles.value = [];
        profile.value = null;
        stopProfile?.();
        stopProfile = undefined;
      }
      ready.value = true;
      resolveReady();
    });
    return whenReady;
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
    await signInWithEmailAndPassword(firebase().auth, email, password);
  }

  async function signUp(input: { displayName: string; email: string; password: string; phone?: string; locale: Locale }): Promise<void> {
    const cred = await createUserWithEmailAndPassword(firebase().auth, input.email, input.password);
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

  async function signOut(): Promise<void> {
    stopProfile?.();
    stopProfile = undefined;
    await fbSignOut(firebase().auth);
  }

  return { user, roles, profile, ready, signedIn, displayName, home, start, whenReady: () => whenReady, signIn, signUp, resetPassword, signOut };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot));
