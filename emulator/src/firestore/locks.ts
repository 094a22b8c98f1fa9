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

/**
 * A queued request. It stays queued from its first wait until its acquire returns or throws, woken or not: a woken
 * request has not re-checked yet, and while it is queued a later, younger request cannot slip past it.
 */
interface Waiter {
  owner: LockOwner;
  mode: LockMode;
  /** Ends the current wait so the request re-checks (nothing when it is not waiting). */
  wake: () => void;
  /** Ends the current wait with an error (nothing when it is not waiting: the acquire loop sees the cause itself). */
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
    let queued: Waiter | undefined;
    let taken = false;
    try {
      for (;;) {
        if (owner.ended) throw owner.ended;
        if (owner.wounded) throw aborted();
        const state = this.state(name);
        const has = state.holders.get(owner);
        if (has === 'exclusive' || has === mode) return;
        // The common case, a free lock, costs no conflict search.
        if (!state.holders.size && (!state.waiters.length || (state.waiters.length === 1 && state.waiters[0] === queued))) {
          this.take(state, owner, name, mode);
          taken = true;
          return;
        }
        const inTheWay = this.inTheWay(state, owner, mode);
        // Wound-wait: younger holders in the way are wounded (a younger waiter in the queue is simply passed); an
        // older owner in the way, holding or queued, is waited for.
        const younger = inTheWay.filter((o) => o.seq > owner.seq && state.holders.has(o));
        for (const o of younger) this.wound(o);
        if (younger.length) continue;
        // Equal ages never meet (the engine gives each live owner its own); if they did, waiting is the safe side.
        if (!inTheWay.some((o) => o.seq <= owner.seq)) {
          this.take(state, owner, name, mode);
          taken = true;
          return;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new FirestoreError(Code.ABORTED, 'Transaction lock timeout');
        if (!queued) {
          queued = { owner, mode, wake: () => {}, fail: () => {} };
          state.waiters.push(queued);
        }
        await this.wait(queued, left);
      }
    } finally {
      if (queued) this.dequeue(name, queued, taken);
    }
  }

  private take(state: LockState, owner: LockOwner, name: string, mode: LockMode): void {
    state.holders.set(owner, mode);
    owner.held.add(name);
  }

  /**
   * Takes a request out of the queue once its acquire is over. One that leaves without the lock (timeout, wound,
   * end) may have held others back: they re-check.
   */
  private dequeue(name: string, waiter: Waiter, taken: boolean): void {
    const state = this.locks.get(name);
    const i = state ? state.waiters.indexOf(waiter) : -1;
    if (!state || i < 0) return;
    state.waiters.splice(i, 1);
    if (!taken) this.wakeAll(state);
    this.tidy(name, state);
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

  /** Waits until `waiter` is woken (a release, a waiter leaving), failed, or `ms` pass; it stays queued throughout. */
  private wait(waiter: Waiter, ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        waiter.wake = () => {};
        waiter.fail = () => {};
      };
      const timer = setTimeout(() => {
        settle();
        reject(new FirestoreError(Code.ABORTED, 'Transaction lock timeout'));
      }, ms);
      waiter.wake = () => {
        settle();
        resolve();
      };
      waiter.fail = (e) => {
        settle();
        reject(e);
      };
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
