/**
 * The outcome of one request under the rules, kept so that a test can both record it and assert it with
 * assertSucceeds / assertFails.
 */
export type Outcome = 'allow' | 'deny';

/** What a request did: allowed, refused by the rules, or failed for another reason (a bug in the test or the engine). */
export interface Settled {
  readonly actual: Outcome | 'error';
  /** The same result again, to hand to assertSucceeds or assertFails. */
  replay(): Promise<unknown>;
}

/**
 * Whether an error is the rules' refusal.
 * @param e - what the SDK threw
 */
export function isPermissionDenied(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === 'permission-denied';
}

/**
 * Waits for a request and says how it ended.
 * @param attempt - the SDK call
 */
export async function settle(attempt: Promise<unknown>): Promise<Settled> {
  try {
    const value = await attempt;
    return { actual: 'allow', replay: () => Promise.resolve(value) };
  } catch (e: unknown) {
    return { actual: isPermissionDenied(e) ? 'deny' : 'error', replay: () => Promise.reject(e) };
  }
}
