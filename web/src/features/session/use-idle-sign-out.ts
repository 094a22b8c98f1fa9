/**
 * Idle sign-out and the absolute session limit, wired to the browser: activity events, a once-a-second check,
 * the warning before the end, and the sign-outs announced by other tabs. Decisions come from `idle-policy.ts`.
 */
import { computed, onScopeDispose, ref, watch, type ComputedRef, type Ref } from 'vue';
import { useRouter } from 'vue-router';
import { useSessionStore } from './use-session-store';
import { useNoticeStore } from './use-notice-store';
import { idleVerdict, type ExpiryReason, type IdleVerdict } from './idle-policy';
import { sessionBus, type SessionBus, type SignOutReason } from './session-bus';
import { sessionMarks, type SessionMarks } from './session-marks';

/** Events that count as the person using the app. */
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;

/** How often the state is re-checked while signed in. */
const TICK_MS = 1000;

/**
 * Pointer moves come by the hundred; the shared mark is written at most this often. The other tabs may thus see
 * activity up to this much late, which only ever ends a session that little earlier.
 */
const SHARE_EVERY_MS = 5000;

/** Notice shown on the sign-in page after a sign-out the person did not do in this tab. */
const NOTICE_KEYS: Record<SignOutReason, string> = {
  idle: 'session.ended.idle',
  absolute: 'session.ended.absolute',
  manual: 'session.ended.elsewhere',
};

export interface IdleSignOutOptions {
  /** The cross-tab bus; the tab's shared one by default. */
  bus?: SessionBus;
  /** Where activity and sign-in times are kept; localStorage by default. */
  marks?: SessionMarks;
}

export interface IdleSignOut {
  /** The latest verdict, or null while signed out. */
  verdict: Readonly<Ref<IdleVerdict | null>>;
  /** Whether the warning dialog should be open. */
  warning: ComputedRef<boolean>;
  /** Whole seconds left before the automatic sign-out (rounded up, so the countdown never shows 0 early). */
  secondsLeft: ComputedRef<number>;
  /** Which limit is coming. */
  reason: ComputedRef<ExpiryReason>;
  /** "Stay signed in": counts as activity in every tab. Does nothing against the absolute limit. */
  staySignedIn(): void;
  /** Hides the warning of the absolute limit (the session still ends at the limit). */
  dismiss(): void;
  /** "Sign out" from the warning: an ordinary sign-out by the person. */
  signOutNow(): Promise<void>;
}

/**
 * Starts watching the session for idleness and for the absolute limit. Call it once, in a component that is
 * always mounted (IdleWarningDialog); everything stops when that component's scope ends.
 * @param options - test seams: the cross-tab bus and the activity store
 */
export function useIdleSignOut(options: IdleSignOutOptions = {}): IdleSignOut {
  const session = useSessionStore();
  const notice = useNoticeStore();
  const router = useRouter();
  const bus = options.bus ?? sessionBus();
  const marks = options.marks ?? sessionMarks();

  const verdict = ref<IdleVerdict | null>(null);
  const dismissed = ref(false);
  // This tab's own latest activity: exact, whereas the shared mark is throttled.
  let lastLocal = 0;
  let lastShared = 0;
  let ending = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const armed = computed(() => session.signedIn && session.signedInAt !== null);
  const warning = computed(
    () => verdict.value?.state === 'warning' && !(verdict.value.reason === 'absolute' && dismissed.value),
  );
  const secondsLeft = computed(() => Math.ceil((verdict.value?.msLeft ?? 0) / 1000));
  const reason = computed<ExpiryReason>(() => verdict.value?.reason ?? 'idle');

  function evaluate(now: number): IdleVerdict | null {
    const signedInAt = session.signedInAt;
    if (!session.signedIn || signedInAt === null) {
      verdict.value = null;
      return null;
    }
    // Signing in is activity too, and it makes any mark left by an earlier session irrelevant.
    const lastActivity = Math.max(lastLocal, marks.lastActivity() ?? 0, signedInAt);
    const v = idleVerdict({ roles: session.roles, lastActivity, signedInAt, now });
    verdict.value = v;
    if (v.state === 'expired') void expire(v.reason);
    return v;
  }

  function record(now: number, share: boolean): void {
    lastLocal = now;
    if (share || now - lastShared >= SHARE_EVERY_MS) {
      marks.setLastActivity(now);
      lastShared = now;
    }
  }

  function onActivity(): void {
    const now = Date.now();
    // Judge the gap before counting the event: coming back to a tab after the limit must not revive the session
    // (background tabs' timers are throttled, so the check may not have run on time).
    const v = evaluate(now);
    // While the warning is up only "Stay signed in" keeps the session: a stray mouse move should not.
    if (v?.state === 'active') record(now, false);
  }

  function onVisibility(): void {
    if (document.visibilityState === 'visible') onActivity();
  }

  function arm(): void {
    if (timer !== undefined) return;
    lastLocal = 0;
    lastShared = 0;
    dismissed.value = false;
    // Checked before listening: a reload long after the last activity ends the session straight away.
    if (evaluate(Date.now())?.state === 'expired') return;
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
    document.addEventListener('visibilitychange', onVisibility);
    timer = setInterval(() => evaluate(Date.now()), TICK_MS);
  }

  function disarm(): void {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    document.removeEventListener('visibilitychange', onVisibility);
    verdict.value = null;
  }

  async function end(why: SignOutReason, broadcast: boolean): Promise<void> {
    disarm();
    try {
      await session.signOut(why, { broadcast });
      notice.show(NOTICE_KEYS[why]);
    } catch (e) {
      // The store attempts both steps whatever happens (Auth, then the cache); say so, and still leave the page.
      console.error('[session] automatic sign-out did not complete', e);
      notice.show('errors.unexpected');
    }
    // No `next` back to the page left behind: on a shared computer the next person to sign in may be someone else.
    await router.push({ name: 'sign-in' });
  }

  async function expire(why: ExpiryReason): Promise<void> {
    if (ending) return;
    ending = true;
    try {
      await end(why, true);
    } finally {
      ending = false;
    }
  }

  async function follow(why: SignOutReason): Promise<void> {
    if (ending) return;
    // Firebase may already have signed this tab out on its own; the page may still show that session's data.
    const showing = session.signedIn || router.currentRoute.value.meta.area !== undefined;
    ending = true;
    try {
      if (showing) await end(why, false);
      // Nothing on screen, but this tab's Firestore instance may still hold the previous session's documents.
      else await session.signOut(why, { broadcast: false });
    } catch (e) {
      console.error("[session] following another tab's sign-out did not complete", e);
      notice.show('errors.unexpected');
    } finally {
      ending = false;
    }
  }

  const stopListening = bus.subscribe((m) => {
    void follow(m.reason);
  });
  watch(armed, (on) => (on ? arm() : disarm()), { immediate: true });
  onScopeDispose(() => {
    disarm();
    stopListening();
  });

  return {
    verdict,
    warning,
    secondsLeft,
    reason,
    staySignedIn() {
      const now = Date.now();
      const v = evaluate(now);
      if (v?.state === 'expired' || v?.reason !== 'idle') return;
      record(now, true);
      evaluate(now);
    },
    dismiss() {
      dismissed.value = true;
    },
    async signOutNow() {
      disarm();
      await session.signOut('manual');
      await router.push({ name: 'landing' });
    },
  };
}
