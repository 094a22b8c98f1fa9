/**
 * When a session ends by itself: after a role-dependent time without activity, and at an absolute limit after
 * sign-in. Pure (time is passed in), so every boundary is a row in a table test.
 */

/** Roles that reach other people's health data across a clinic: they get the short idle limit. */
const STRICT_ROLES: readonly string[] = ['staff', 'admin', 'specialist'];

/** Idle limit for staff, admins and specialists. */
export const STRICT_IDLE_MS = 15 * 60_000;
/** Idle limit for everyone else (every signed-in account is at least a patient). */
export const PATIENT_IDLE_MS = 30 * 60_000;
/** The session ends this long after sign-in, whatever the activity. */
export const ABSOLUTE_LIMIT_MS = 12 * 60 * 60_000;
/** The warning dialog opens this long before either limit. */
export const WARNING_MS = 60_000;

/** Why a session ends (or is about to): no activity, or the absolute limit since sign-in. */
export type ExpiryReason = 'idle' | 'absolute';

export interface IdleInput {
  /** Role claims of the session; unknown strings are ignored. */
  roles: readonly string[];
  /** Epoch ms of the latest activity in any tab. */
  lastActivity: number;
  /** Epoch ms of the sign-in. */
  signedInAt: number;
  /** Epoch ms of "now". */
  now: number;
}

export interface IdleVerdict {
  state: 'active' | 'warning' | 'expired';
  /** The limit that comes first (the absolute one on a tie, since no activity can move it). */
  reason: ExpiryReason;
  /** Milliseconds until that limit; 0 once expired. */
  msLeft: number;
}

/**
 * The idle limit for a set of roles: the strictest role wins.
 * @param roles - role claims of the session
 */
export function idleLimitMs(roles: readonly string[]): number {
  return roles.some((r) => STRICT_ROLES.includes(r)) ? STRICT_IDLE_MS : PATIENT_IDLE_MS;
}

/**
 * Where a session stands at `now`.
 * @param input - roles, latest activity, sign-in time and now, all as epoch milliseconds
 */
export function idleVerdict(input: IdleInput): IdleVerdict {
  // A clock set backwards must not stretch either limit beyond its full length.
  const lastActivity = Math.min(input.lastActivity, input.now);
  const signedInAt = Math.min(input.signedInAt, input.now);
  const idleLeft = lastActivity + idleLimitMs(input.roles) - input.now;
  const absoluteLeft = signedInAt + ABSOLUTE_LIMIT_MS - input.now;
  const reason: ExpiryReason = absoluteLeft <= idleLeft ? 'absolute' : 'idle';
  const msLeft = Math.max(0, Math.min(idleLeft, absoluteLeft));
  const state = msLeft === 0 ? 'expired' : msLeft <= WARNING_MS ? 'warning' : 'active';
  return { state, reason, msLeft };
}
