/**
 * Pessimistic document locks with wound-wait, as Firestore's read-write transactions behave: a read takes the
 * document's lock in shared mode (many readers at once), a write takes it exclusively (one writer, no readers). A
 * younger requester waits for an older owner in its way; an older requester wounds (aborts) a younger holder. Every
 * wait is of a younger owner for an older one, so no cycle can form and nothing deadlocks; a wait also ends after
 * `waitMs`.
 *
 * A waiting exclusive request also holds back later, younger shared requests, so a steady stream of overlapping
 * readers cannot starve a writer.
 */
import { Code, FirestoreError } from './types';

/** Shared: read by a transaction. Exclusive: to be written (or read by a transaction that must write it). */
export type LockMode = 'shared' | 'exclusive';

export interface LockOwner {
  /** Lower is older. */
  readonly seq: number;
  wounded: boolean;
  /** Names of the documents this owner holds a lock on, in any mode. */
  readonly held: Set<string>;
  /** Set when the owner was ended (rolled back, expired) while it may still have requests in flight. */
  ended?: FirestoreError;
  /** Called when this owner is wounded so it can release what it holds. */
  onWound?: () => void;
}

interface Waiter {
  owner: LockOwner;
  mode: LockMode;
  wake: () => void;
  fail: (e: Error) => void;
}

interface LockState {
  holders: Map<LockOwner, LockMode>;
  waiters: Waiter[];
}

export class LockTable {
  private readonly locks = new Map<string, LockState>();

  constructor(private readonly waitMs = 20_000) {}

  /**
   * Acquires the lock on `name` for `owner` in `mode` (a shared lock it holds is upgraded), waiting or wounding as
   * needed.
   * @throws FirestoreError ABORTED when the owner is wounded or the wait times out; the owner's `ended` error when it
   *   was ended meanwhile
   */
  async acquire(owner: LockOwner, name: string, mode: LockMode = 'exclusive'): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (owner.ended) throw owner.ended;
      if (owner.wounded) throw aborted();
      const state = this.state(name);
      const has = state.holders.get(owner);
      if (has === 'exclusive' || has === mode) return;
      // The common case, a free lock, costs no conflict search.
      if (!state.holders.size && !state.waiters.length) {
        state.holders.set(owner, mode);
        owner.held.add(name);
        return;
      }
      const inTheWay = this.inTheWay(state, owner, mode);
      // Wound-wait: younger holders in the way are wounded (a younger waiter in the queue is simply passed); an older
      // owner in the way, holding or queued, is waited for.
      const younger = inTheWay.filter((o) => o.seq > owner.seq && state.holders.has(o));
      for (const o of younger) this.wound(o);
      if (younger.length) continue;
      // Equal ages never meet (the engine gives each live owner its own); if they did, waiting is the safe side.
      if (!inTheWay.some((o) => o.seq <= owner.seq)) {
        state.holders.set(owner, mode);
        owner.held.add(name);
        return;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new FirestoreError(Code.ABORTED, 'Transaction lock timeout');
      await this.wait(state, owner, mode, name, left);
    }
  }

  /**
   * The owners a request conflicts with: holders of an incompatible mode and, for an owner not yet holding the lock,
   * waiters queued for an incompatible mode (a waiting writer holds back later readers). An owner that already holds
   * the lock and upgrades it only looks at holders: the queue may be waiting for it.
   */
  private inTheWay(state: LockState, owner: LockOwner, mode: LockMode): LockOwner[] {
    const out = new Set<LockOwner>();
    for (const [other, m] of state.holders) if (other !== owner && (mode === 'exclusive' || m === 'exclusive')) out.add(other);
    if (!state.holders.has(owner))
      for (const w of state.waiters) if (w.owner !== owner && (mode === 'exclusive' || w.mode === 'exclusive')) out.add(w.owner);
    return [...out];
  }

  private state(name: string): LockState {
    let s = this.locks.get(name);
    if (!s) this.locks.set(name, (s = { holders: new Map(), waiters: [] }));
    return s;
  }

  /** Drops the entry of a lock nobody holds or waits for. */
  private tidy(name: string, state: LockState): void {
    if (!state.holders.size && !state.waiters.length && this.locks.get(name) === state) this.locks.delete(name);
  }

  /** Waits until something changes on `name` (a release, a waiter leaving) or `ms` pass. */
  private wait(state: LockState, owner: LockOwner, mode: LockMode, name: string, ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        leave();
        reject(new FirestoreError(Code.ABORTED, 'Transaction lock timeout'));
      }, ms);
      const leave = () => {
        clearTimeout(timer);
        const i = state.waiters.indexOf(waiter);
        if (i < 0) return;
        state.waiters.splice(i, 1);
        // Whoever queued behind this waiter may be free to go now.
        this.wakeAll(state);
        this.tidy(name, state);
      };
      const waiter: Waiter = {
        owner,
        mode,
        wake: () => {
          clearTimeout(timer);
          const i = state.waiters.indexOf(waiter);
          if (i >= 0) state.waiters.splice(i, 1);
          this.tidy(name, state);
          resolve();
        },
        fail: (e) => {
          leave();
          reject(e);
        },
      };
      state.waiters.push(waiter);
    });
  }

  /** Every waiter re-checks, the oldest first (their continuations run in the order they are woken). */
  private wakeAll(state: LockState): void {
    for (const w of [...state.waiters].sort((a, b) => a.owner.seq - b.owner.seq)) w.wake();
  }

  /** Aborts a holder: its locks go, and any wait of its ends with ABORTED. */
  wound(owner: LockOwner): void {
    if (owner.wounded) return;
    owner.wounded = true;
    this.failWaits(owner, aborted());
    owner.onWound?.();
    this.releaseAll(owner);
  }

  /**
   * Ends an owner for good (rollback, expiry): its waits fail with `error`, its locks go, and a request of its still in
   * flight can take no new lock.
   */
  end(owner: LockOwner, error: FirestoreError): void {
    owner.ended ??= error;
    this.failWaits(owner, error);
    this.releaseAll(owner);
  }

  private failWaits(owner: LockOwner, error: FirestoreError): void {
    for (const state of [...this.locks.values()]) for (const w of [...state.waiters]) if (w.owner === owner) w.fail(error);
  }

  /** Releases one lock of `owner` (a read the rules refused after all). */
  release(owner: LockOwner, name: string): void {
    const state = this.locks.get(name);
    owner.held.delete(name);
    if (!state || !state.holders.delete(owner)) return;
    this.wakeAll(state);
    this.tidy(name, state);
  }

  releaseAll(owner: LockOwner): void {
    for (const name of [...owner.held]) this.release(owner, name);
    owner.held.clear();
  }

  /** The mode `owner` holds `name` in, if any. */
  heldMode(owner: LockOwner, name: string): LockMode | undefined {
    return this.locks.get(name)?.holders.get(owner);
  }
}

function aborted(): FirestoreError {
  return new FirestoreError(Code.ABORTED, 'Transaction was aborted due to contention with an older transaction; retry it');
}
