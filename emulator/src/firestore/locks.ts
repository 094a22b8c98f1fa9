/**
 * Pessimistic document locks with wound-wait, as Firestore's read-write transactions behave: a read takes the
 * document's lock; a younger transaction waits for an older holder; an older requester wounds (aborts) a younger
 * holder. No cycles can form, so no deadlock; a wait also ends after `waitMs`.
 */
import { Code, FirestoreError } from './types';

export interface LockOwner {
  /** Lower is older. */
  readonly seq: number;
  wounded: boolean;
  readonly held: Set<string>;
  /** Called when this owner is wounded so it can release what it holds. */
  onWound?: () => void;
}

interface Waiter {
  owner: LockOwner;
  grant: () => void;
  fail: (e: Error) => void;
}

export class LockTable {
  private holders = new Map<string, LockOwner>();
  private waiters = new Map<string, Waiter[]>();

  constructor(private readonly waitMs = 20_000) {}

  /** Acquires the lock on `name` for `owner`, waiting or wounding as needed. */
  async acquire(owner: LockOwner, name: string): Promise<void> {
    for (;;) {
      if (owner.wounded) throw aborted();
      const holder = this.holders.get(name);
      if (!holder || holder === owner) {
        this.holders.set(name, owner);
        owner.held.add(name);
        return;
      }
      if (owner.seq < holder.seq) {
        this.wound(holder);
        continue;
      }
      await this.wait(owner, name);
    }
  }

  private wait(owner: LockOwner, name: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = this.waiters.get(name) ?? [];
      const timer = setTimeout(() => {
        remove();
        reject(new FirestoreError(Code.ABORTED, 'Transaction lock timeout'));
      }, this.waitMs);
      const remove = () => {
        clearTimeout(timer);
        const l = this.waiters.get(name);
        if (!l) return;
        const i = l.indexOf(waiter);
        if (i >= 0) l.splice(i, 1);
        if (!l.length) this.waiters.delete(name);
      };
      const waiter: Waiter = {
        owner,
        grant: () => {
          remove();
          resolve();
        },
        fail: (e) => {
          remove();
          reject(e);
        },
      };
      list.push(waiter);
      this.waiters.set(name, list);
    });
  }

  /** Aborts a holder: its locks go, and any wait of its ends with ABORTED. */
  wound(owner: LockOwner): void {
    if (owner.wounded) return;
    owner.wounded = true;
    for (const [, list] of this.waiters) for (const w of [...list]) if (w.owner === owner) w.fail(aborted());
    owner.onWound?.();
    this.releaseAll(owner);
  }

  releaseAll(owner: LockOwner): void {
    for (const name of owner.held) {
      if (this.holders.get(name) === owner) {
        this.holders.delete(name);
        // Wake every waiter; they re-check in seq order of arrival, the first one wins the free lock.
        const list = this.waiters.get(name);
        if (list) for (const w of [...list]) w.grant();
      }
    }
    owner.held.clear();
  }

  isLocked(name: string): boolean {
    return this.holders.has(name);
  }
}

function aborted(): FirestoreError {
  return new FirestoreError(Code.ABORTED, 'Transaction was aborted due to contention with an older transaction; retry it');
}
