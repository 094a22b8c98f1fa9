import { afterEach, describe, expect, it, vi } from 'vitest';
import * as firestore from 'firebase/firestore';
import { firebase } from '../plugins/firebase';
import { clearLocalCache } from './cache';

// The real SDK, no server: initialising and terminating Firestore needs no network.
vi.mock('firebase/firestore', async (importOriginal) => {
  const actual = await importOriginal<typeof firestore>();
  return { ...actual, clearIndexedDbPersistence: vi.fn(actual.clearIndexedDbPersistence) };
});

/** A read from the local cache only; throws (as a rejection) once the client is terminated. */
async function readCached(db: firestore.Firestore): Promise<unknown> {
  return firestore.getDocFromCache(firestore.doc(db, 'users/u1'));
}

afterEach(() => {
  vi.useRealTimers();
  vi.mocked(firestore.clearIndexedDbPersistence).mockClear();
});

/** What the SDK rejects with while another tab holds the IndexedDB database open. */
function busyError(message: string): Error {
  return Object.assign(new Error(message), { code: 'failed-precondition' });
}

describe('clearLocalCache', () => {
  it('terminates the current instance, clears its persistence and gives the next user a fresh one', async () => {
    const before = firebase().db;
    await clearLocalCache();
    expect(firestore.clearIndexedDbPersistence).toHaveBeenCalledExactlyOnceWith(before);
    await expect(readCached(before)).rejects.toThrow(/terminated/);
    const after = firebase().db;
    expect(after).not.toBe(before);
    expect(firebase().db).toBe(after);
    // The fresh instance is usable (a cache miss, not a terminated client).
    await expect(readCached(after)).rejects.toThrow(/cache/i);
  });

  it('shares one run between concurrent calls', async () => {
    const before = firebase().db;
    await Promise.all([clearLocalCache(), clearLocalCache()]);
    expect(firestore.clearIndexedDbPersistence).toHaveBeenCalledExactlyOnceWith(before);
  });

  it('retries while another tab still holds the cache, then succeeds', async () => {
    vi.useFakeTimers();
    const busy = busyError('another tab has it open');
    vi.mocked(firestore.clearIndexedDbPersistence).mockRejectedValueOnce(busy).mockRejectedValueOnce(busy);
    const clearing = clearLocalCache();
    await vi.runAllTimersAsync();
    await expect(clearing).resolves.toBeUndefined();
    expect(firestore.clearIndexedDbPersistence).toHaveBeenCalledTimes(3);
  });

  it('gives up after a few tries and says so, still handing out a fresh instance', async () => {
    vi.useFakeTimers();
    const before = firebase().db;
    vi.mocked(firestore.clearIndexedDbPersistence).mockRejectedValue(busyError('busy'));
    const clearing = clearLocalCache();
    const outcome = expect(clearing).rejects.toThrow('busy');
    await vi.runAllTimersAsync();
    await outcome;
    expect(firebase().db).not.toBe(before);
    vi.mocked(firestore.clearIndexedDbPersistence).mockReset();
  });

  it('does not retry other errors', async () => {
    vi.mocked(firestore.clearIndexedDbPersistence).mockRejectedValueOnce(
      Object.assign(new Error('disk'), { code: 'internal' }),
    );
    await expect(clearLocalCache()).rejects.toThrow('disk');
    expect(firestore.clearIndexedDbPersistence).toHaveBeenCalledOnce();
  });
});
